import Foundation
import ParleyCore

/// Reads Ollama's NDJSON `/api/chat` stream into ``ChatEvent``s.
struct OllamaStreamDecoder: LineEventDecoder, Sendable {
    struct Line: Decodable {
        struct Message: Decodable {
            struct Call: Decodable {
                struct Function: Decodable {
                    var name: String
                    var arguments: JSONValue?
                }
                var id: String?
                var function: Function
            }
            var content: String?
            var thinking: String?
            var tool_calls: [Call]?
        }
        var message: Message?
        var response: String?
        var done: Bool?
        var done_reason: String?
        var error: String?
        var prompt_eval_count: Int?
        var eval_count: Int?
        var prompt_eval_duration: UInt64?
        var eval_duration: UInt64?
        var load_duration: UInt64?
    }

    let provider: String
    private(set) var isDone = false
    private var toolCallCount = 0

    init(provider: String) {
        self.provider = provider
    }

    mutating func decode(line: ArraySlice<UInt8>) throws -> [ChatEvent] {
        guard line.contains(where: { $0 != UInt8(ascii: " ") }) else { return [] }
        let parsed: Line
        do {
            parsed = try JSONDecoder().decode(Line.self, from: Data(line))
        } catch {
            throw ParleyError.upstream(
                status: 502, message: "The provider '\(provider)' sent a malformed stream line.", type: "api_error",
                code: "upstream_malformed_response")
        }
        if let error = parsed.error {
            throw ParleyError.upstream(
                status: 502, message: "The provider '\(provider)' failed mid-stream: \(error)", type: "api_error", code: "upstream_error")
        }
        var events: [ChatEvent] = []
        if let content = parsed.message?.content ?? parsed.response, !content.isEmpty { events.append(.delta(content)) }
        for call in parsed.message?.tool_calls ?? [] {
            let arguments: String
            switch call.function.arguments {
            case .string(let text): arguments = text
            case let value?: arguments = value.jsonString()
            case nil: arguments = "{}"
            }
            events.append(
                .toolCall(
                    ToolCallDelta(
                        index: toolCallCount, id: call.id ?? "call_\(toolCallCount)", name: call.function.name,
                        arguments: arguments)))
            toolCallCount += 1
        }
        if parsed.done == true {
            isDone = true
            events.append(
                .usage(
                    Usage(
                        promptTokens: parsed.prompt_eval_count ?? 0, completionTokens: parsed.eval_count ?? 0,
                        promptDurationNanos: parsed.prompt_eval_duration, completionDurationNanos: parsed.eval_duration,
                        loadDurationNanos: parsed.load_duration)))
            let reason: FinishReason =
                toolCallCount > 0 ? .toolCalls : (parsed.done_reason == "length" ? .length : .stop)
            events.append(.finish(reason))
        }
        return events
    }
}
