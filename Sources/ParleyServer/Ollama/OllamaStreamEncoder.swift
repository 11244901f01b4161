import Foundation
import NIOCore
import NIOFoundationCompat
import ParleyCore

/// Turns ``ChatEvent``s into Ollama's NDJSON lines (`/api/chat` or `/api/generate`), and measures the
/// durations Ollama reports: total, prompt evaluation (to the first token) and evaluation.
struct OllamaStreamEncoder {
    enum Shape: Sendable {
        case chat
        case generate
    }

    let shape: Shape
    let model: String
    let started: ContinuousClock.Instant
    private var firstToken: ContinuousClock.Instant?
    private var usage: Usage?
    private var finish: FinishReason?
    private var toolCalls = ChatResult()
    private var text = ""

    init(shape: Shape, model: String, started: ContinuousClock.Instant) {
        self.shape = shape
        self.model = model
        self.started = started
    }

    /// The line for one event; tool calls and usage are held for the end.
    mutating func line(for event: ChatEvent) -> ByteBuffer? {
        switch event {
        case .delta(let piece):
            if firstToken == nil { firstToken = .now }
            return Self.encode(partial(content: piece))
        case .toolCall:
            if firstToken == nil { firstToken = .now }
            toolCalls.apply(event)
        case .usage(let usage):
            self.usage = usage
        case .finish(let reason):
            finish = reason
        }
        return nil
    }

    /// Collects a whole answer (for `"stream": false`), keeping its text.
    mutating func absorb(_ event: ChatEvent) {
        if case .delta(let piece) = event { text += piece }
        _ = line(for: event)
    }

    /// The closing line: done, done_reason, counts and durations (and the whole text when not streaming).
    func final(includingText: Bool = false) -> JSONValue {
        let end = ContinuousClock.now
        let first = firstToken ?? end
        func nanos(_ duration: Duration) -> Double {
            Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
        }
        var object = partial(content: includingText ? text : "", done: true).objectValue ?? [:]
        if shape == .chat, !toolCalls.toolCalls.isEmpty {
            var message = object["message"]?.objectValue ?? [:]
            message["tool_calls"] = .array(toolCalls.toolCalls.map { call in
                let arguments = (try? JSONValue.parse(Array(call.arguments.utf8))) ?? .string(call.arguments)
                return ["function": ["name": .string(call.name), "arguments": arguments]]
            })
            object["message"] = .object(message)
        }
        let reason: String
        switch finish {
        case .length: reason = "length"
        default: reason = "stop"
        }
        object["done_reason"] = .string(reason)
        object["total_duration"] = .number(nanos(end - started).rounded())
        object["load_duration"] = .number(Double(usage?.loadDurationNanos ?? 0))
        object["prompt_eval_count"] = .number(Double(usage?.promptTokens ?? 0))
        object["prompt_eval_duration"] = .number(usage?.promptDurationNanos.map { Double($0) } ?? nanos(first - started).rounded())
        object["eval_count"] = .number(Double(usage?.completionTokens ?? 0))
        object["eval_duration"] = .number(usage?.completionDurationNanos.map { Double($0) } ?? nanos(end - first).rounded())
        if shape == .generate { object["context"] = [] }
        return .object(object)
    }

    func endLine() -> ByteBuffer { Self.encode(final()) }

    static func errorLine(_ error: ParleyError) -> ByteBuffer {
        encode(["error": .string(error.message)])
    }

    private func partial(content: String, done: Bool = false) -> JSONValue {
        var object: [String: JSONValue] = [
            "model": .string(model), "created_at": .string(Self.timestamp()), "done": .bool(done),
        ]
        switch shape {
        case .chat: object["message"] = ["role": "assistant", "content": .string(content)]
        case .generate: object["response"] = .string(content)
        }
        return .object(object)
    }

    static func encode(_ value: JSONValue) -> ByteBuffer {
        var buffer = ByteBuffer(data: value.jsonData())
        buffer.writeString("\n")
        return buffer
    }

    static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
