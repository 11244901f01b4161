import Foundation
import ParleyCore

/// Reads OpenAI's server-sent events (`data: {chunk}` ... `data: [DONE]`) into ``ChatEvent``s.
struct OpenAIStreamDecoder: LineEventDecoder, Sendable {
    let provider: String
    private(set) var isDone = false
    private(set) var sawFinish = false
    /// Some servers end the body after the finishing chunk without `[DONE]`.
    var canEndWithoutDone: Bool { sawFinish }

    init(provider: String) {
        self.provider = provider
    }

    /// Decodes one line of the event stream. Comments, `event:` lines and blank lines yield nothing.
    mutating func decode(line: ArraySlice<UInt8>) throws -> [ChatEvent] {
        guard line.starts(with: Self.dataPrefix) else { return [] }
        var payload = line.dropFirst(Self.dataPrefix.count)
        if payload.first == UInt8(ascii: " ") { payload = payload.dropFirst() }
        if payload.elementsEqual(Self.done) {
            isDone = true
            return []
        }
        let chunk: JSONValue
        do {
            chunk = try JSONValue.parse(payload, keeping: Self.readMembers)
        } catch {
            throw ParleyError.upstream(
                status: 502, message: "The provider '\(provider)' sent a malformed stream event.", type: "api_error",
                code: "upstream_malformed_response")
        }
        if let error = OpenAIErrorBody(json: chunk["error"]) {
            throw ParleyError.upstream(
                status: 502, message: "The provider '\(provider)' failed mid-stream: \(error.message ?? "unknown error")",
                type: error.type, code: error.code?.text)
        }
        var events: [ChatEvent] = []
        for choice in chunk["choices"]?.arrayValue ?? [] where (choice["index"]?.intValue ?? 0) == 0 {
            let delta = choice["delta"]
            if let content = delta?["content"]?.stringValue, !content.isEmpty { events.append(.delta(content)) }
            if let refusal = delta?["refusal"]?.stringValue, !refusal.isEmpty { events.append(.delta(refusal)) }
            for piece in delta?["tool_calls"]?.arrayValue ?? [] {
                let function = piece["function"]
                events.append(
                    .toolCall(
                        ToolCallDelta(
                            index: piece["index"]?.intValue ?? 0, id: piece["id"]?.stringValue,
                            name: function?["name"]?.stringValue, arguments: function?["arguments"]?.stringValue ?? "")))
            }
            if let reason = choice["finish_reason"]?.stringValue {
                sawFinish = true
                events.append(.finish(FinishReason(openAI: reason)))
            }
        }
        if let usage = Usage(openAI: chunk["usage"]) { events.append(.usage(usage)) }
        return events
    }

    /// The members of a chunk or a completion that become events; ids, fingerprints and log probabilities
    /// are skipped while reading.
    static let readMembers = JSONMemberNames([
        "choices", "index", "delta", "message", "finish_reason", "content", "refusal", "tool_calls", "id", "function",
        "name", "arguments", "usage", "prompt_tokens", "completion_tokens", "error", "type", "param", "code",
    ])

    private static let dataPrefix = Array("data:".utf8)
    private static let done = Array("[DONE]".utf8)
}

struct OpenAIUsage: Decodable {
    var prompt_tokens: Int?
    var completion_tokens: Int?
}

extension Usage {
    /// OpenAI's `usage` object, when there is one.
    init?(openAI usage: JSONValue?) {
        guard case .object(let fields)? = usage else { return nil }
        self.init(
            promptTokens: fields["prompt_tokens"]?.intValue ?? 0, completionTokens: fields["completion_tokens"]?.intValue ?? 0)
    }
}

/// OpenAI's error object, as upstreams send it.
struct OpenAIErrorBody: Decodable {
    /// `code` is a string at OpenAI and a number at some compatible servers.
    enum Code: Decodable {
        case string(String)
        case number(Int)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                self = .number(number)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        var text: String {
            switch self {
            case .string(let text): return text
            case .number(let number): return String(number)
            }
        }
    }

    var message: String?
    var type: String?
    var param: String?
    var code: Code?

    /// The error object inside a stream event, when there is one.
    init?(json: JSONValue?) {
        guard case .object(let fields)? = json else { return nil }
        message = fields["message"]?.stringValue
        type = fields["type"]?.stringValue
        param = fields["param"]?.stringValue
        if let number = fields["code"]?.intValue {
            code = .number(number)
        } else {
            code = fields["code"]?.stringValue.map(Code.string)
        }
    }

    struct Envelope: Decodable {
        var error: OpenAIErrorBody?
        var message: String?
        var detail: String?
    }

    /// Turns an upstream error response into the error Parley's client sees: 4xx passed on with
    /// the upstream's message, 5xx as 502.
    static func parleyError(status: Int, body: Data, provider: String) -> ParleyError {
        let envelope = try? JSONDecoder().decode(Envelope.self, from: body)
        let message =
            envelope?.error?.message ?? envelope?.message ?? envelope?.detail
            ?? String(decoding: body.prefix(500), as: UTF8.self)
        if status >= 500 {
            return .upstream(
                status: 502, message: "The provider '\(provider)' failed with status \(status): \(message)",
                type: "api_error", code: "upstream_error")
        }
        if status == 404 && envelope?.error?.code?.text == "model_not_found" {
            return .upstream(status: 404, message: message, type: "invalid_request_error", code: "model_not_found", param: "model")
        }
        return .upstream(
            status: status, message: message, type: envelope?.error?.type ?? "invalid_request_error",
            code: envelope?.error?.code?.text, param: envelope?.error?.param)
    }
}

extension FinishReason {
    init(openAI reason: String) {
        switch reason {
        case "length": self = .length
        case "tool_calls", "function_call": self = .toolCalls
        case "content_filter": self = .contentFilter
        default: self = .stop
        }
    }
}
