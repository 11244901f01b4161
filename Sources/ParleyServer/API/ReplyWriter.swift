import Foundation
import Hummingbird
import Logging
import NIOCore
import ParleyCore
import ParleyStorage

/// Runs one reply and stores it as it streams: the assistant message exists (status `streaming`)
/// before the first token, its text is written at most every half second, and it always ends
/// `complete`, `partial` (the client left) or `error` (the upstream failed) with what arrived.
///
/// Streaming responses are server-sent events: `message` (each stored message as it starts),
/// `delta` (`{"message_id", "content"}`), then `done` (the final message) or `error`
/// (`{"error": {...}, "message": {...}}`).
struct ReplyWriter: Sendable {
    let store: Store
    let turn: ChatTurn
    /// Counts the reply's tokens against the user's budget.
    let tally: UsageTally?
    let user: UserRecord
    let action: String
    let prompt: MessageRecord
    let detail: JSONValue
    /// The sources retrieved for this reply, stored with it.
    var citations: JSONValue? = nil

    static let flushInterval: Duration = .milliseconds(500)

    struct Result: Encodable {
        var userMessage: MessageRecord?
        var message: MessageRecord

        enum CodingKeys: String, CodingKey {
            case message
            case userMessage = "user_message"
        }
    }

    func respond(request: ChatRequest, echo: [MessageRecord], stream: Bool) async throws -> Response {
        let reply = try await store.addMessage(
            NewMessage(
                chatID: prompt.chatID, parentID: prompt.id, authorID: nil, role: .assistant, content: "",
                model: turn.route.id, provider: turn.route.provider.name, parameters: .object(turn.parameters),
                status: .streaming, citations: citations))
        let started = ContinuousClock.now
        let events: AsyncThrowingStream<ChatEvent, any Error>
        do {
            events = try await turn.route.provider.chat(request)
        } catch {
            let failure = (error as? ParleyError) ?? .internal("the model failed to start")
            let stored = try await finish(reply.id, text: "", usage: nil, started: started, status: .error, error: failure)
            guard stream else { throw failure }
            return Self.eventStream { write in
                for message in echo { try await write("message", message) }
                try await write("error", ErrorEvent(error: failure, message: stored))
            }
        }
        guard stream else {
            var text = ""
            var usage: Usage?
            do {
                for try await event in events {
                    tally?.observe(event)
                    switch event {
                    case .delta(let piece): text += piece
                    case .usage(let counted): usage = counted
                    default: break
                    }
                }
            } catch is CancellationError {
                _ = try await finish(reply.id, text: text, usage: usage, started: started, status: .partial, error: nil)
                throw CancellationError()
            } catch {
                let failure = (error as? ParleyError) ?? .internal("the reply stopped unexpectedly")
                _ = try await finish(reply.id, text: text, usage: usage, started: started, status: .error, error: failure)
                throw failure
            }
            let stored = try await finish(reply.id, text: text, usage: usage, started: started, status: .complete, error: nil)
            return try JSONResponse.make(Result(userMessage: echo.last, message: stored))
        }
        return Self.eventStream { write in
            var text = ""
            var usage: Usage?
            var clientGone = false
            var lastFlush = ContinuousClock.now
            do {
                do {
                    for message in echo { try await write("message", message) }
                    try await write("message", reply)
                } catch {
                    clientGone = true
                    throw error
                }
                for try await event in events {
                    tally?.observe(event)
                    switch event {
                    case .delta(let piece):
                        text += piece
                        do {
                            try await write("delta", Delta(messageID: reply.id, content: piece))
                        } catch {
                            clientGone = true
                            throw error
                        }
                        if ContinuousClock.now - lastFlush >= Self.flushInterval {
                            try await store.updateMessage(id: reply.id, content: text, status: .streaming)
                            lastFlush = ContinuousClock.now
                        }
                    case .usage(let counted): usage = counted
                    default: break
                    }
                }
                let stored = try await finish(reply.id, text: text, usage: usage, started: started, status: .complete, error: nil)
                try await write("done", stored)
            } catch {
                if clientGone || error is CancellationError {
                    _ = try? await finish(reply.id, text: text, usage: usage, started: started, status: .partial, error: nil)
                    return
                }
                let failure = (error as? ParleyError) ?? .internal("the reply stopped unexpectedly")
                let stored = try await finish(reply.id, text: text, usage: usage, started: started, status: .error, error: failure)
                try? await write("error", ErrorEvent(error: failure, message: stored))
            }
        }
    }

    /// Writes the reply's final state, even when the request's task is being cancelled.
    private func finish(
        _ id: String, text: String, usage: Usage?, started: ContinuousClock.Instant, status: MessageStatus,
        error: ParleyError?
    ) async throws -> MessageRecord {
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        let store = store
        let chatID = prompt.chatID
        let tokens = usage.map { TokenUsage(promptTokens: $0.promptTokens, completionTokens: $0.completionTokens) }
        let record = try await Task {
            try await store.updateMessage(
                id: id, content: text, status: status, usage: tokens, latencyMs: milliseconds, error: error?.message)
            return try await store.message(id: id, chatID: chatID)
        }.value
        let outcome = error.map { "error: \($0.message)" } ?? status.rawValue
        try? await InstructionLog(store: store).record(
            user, action: action, chatID: chatID, model: turn.route.id, detail: detail, outcome: outcome)
        return record
    }

    struct Delta: Encodable {
        var messageID: String
        var content: String

        enum CodingKeys: String, CodingKey {
            case content
            case messageID = "message_id"
        }
    }

    struct ErrorEvent: Encodable {
        var error: ParleyError
        var message: MessageRecord

        enum CodingKeys: String, CodingKey { case error, message }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ErrorSurface.envelope(for: error)["error"], forKey: .error)
            try container.encode(message, forKey: .message)
        }
    }

    typealias EventWriter = (String, any Encodable) async throws -> Void

    static func eventStream(_ body: @escaping @Sendable (EventWriter) async throws -> Void) -> Response {
        Response(
            status: .ok, headers: EventStreamResponse.headers(contentType: "text/event-stream"),
            body: ResponseBody { writer in
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.withoutEscapingSlashes]
                try await body { name, payload in
                    var buffer = ByteBuffer(string: "event: \(name)\ndata: ")
                    buffer.writeBytes(try encoder.encode(payload))
                    buffer.writeString("\n\n")
                    try await writer.write(buffer)
                }
                try await writer.finish(nil)
            })
    }
}
