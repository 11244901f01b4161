import Foundation
import ParleyCore

/// Reads Ollama's NDJSON `/api/chat` stream into ``ChatEvent``s.
struct OllamaStreamDecoder: LineEventDecoder, Sendable {
    let provider: String
    private(set) var isDone = false
    private var toolCallCount = 0

    init(provider: String) {
        self.provider = provider
    }

    mutating func decode(line: ArraySlice<UInt8>) throws -> [ChatEvent] {
        guard line.contains(where: { $0 != UInt8(ascii: " ") }) else { return [] }
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(line)
        } catch {
            throw ParleyError.upstream(
                status: 502, message: "The provider '\(provider)' sent a malformed stream line.", type: "api_error",
                code: "upstream_malformed_response")
        }
        if let error = parsed["error"]?.stringValue {
            throw ParleyError.upstream(
                status: 502, message: "The provider '\(provider)' failed mid-stream: \(error)", type: "api_error", code: "upstream_error")
        }
        var events: [ChatEvent] = []
        let message = parsed["message"]
        if let content = message?["content"]?.stringValue ?? parsed["response"]?.stringValue, !content.isEmpty {
            events.append(.delta(content))
        }
        for call in message?["tool_calls"]?.arrayValue ?? [] {
            guard let function = call["function"], let name = function["name"]?.stringValue else { continue }
            let arguments: String
            switch function["arguments"] {
            case .string(let text)?: arguments = text
            case nil, .null?: arguments = "{}"
            case let value?: arguments = value.jsonString()
            }
            events.append(
                .toolCall(
                    ToolCallDelta(
                        index: toolCallCount, id: call["id"]?.stringValue ?? "call_\(toolCallCount)", name: name,
                        arguments: arguments)))
            toolCallCount += 1
        }
        if parsed["done"]?.boolValue == true {
            isDone = true
            // Ollama gives durations in nanoseconds.
            func nanoseconds(_ key: String) -> UInt64? { parsed[key]?.intValue.flatMap { UInt64(exactly: $0) } }
            events.append(
                .usage(
                    Usage(
                        promptTokens: parsed["prompt_eval_count"]?.intValue ?? 0,
                        completionTokens: parsed["eval_count"]?.intValue ?? 0,
                        promptDurationNanos: nanoseconds("prompt_eval_duration"),
                        completionDurationNanos: nanoseconds("eval_duration"),
                        loadDurationNanos: nanoseconds("load_duration"))))
            let reason: FinishReason =
                toolCallCount > 0 ? .toolCalls : (parsed["done_reason"]?.stringValue == "length" ? .length : .stop)
            events.append(.finish(reason))
        }
        return events
    }
}
