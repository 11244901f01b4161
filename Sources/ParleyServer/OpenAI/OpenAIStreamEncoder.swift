import Foundation
import NIOFoundationCompat
import NIOCore
import ParleyCore

/// Turns ``ChatEvent``s into OpenAI's `chat.completion.chunk` server-sent events.
struct OpenAIStreamEncoder {
    let id: String
    let created: Int
    let model: String
    let includeUsage: Bool
    private var usage: Usage?
    private var sentRole = false

    init(id: String, created: Int, model: String, includeUsage: Bool) {
        self.id = id
        self.created = created
        self.model = model
        self.includeUsage = includeUsage
    }

    /// The frames for one event (none for usage, which is sent at the end).
    mutating func frames(for event: ChatEvent) throws -> ByteBuffer? {
        var delta = OpenAIResponses.Chunk.Choice.Delta()
        var finish: String?
        switch event {
        case .delta(let text):
            delta.content = text
        case .toolCall(let call):
            delta.tool_calls = [
                .init(
                    index: call.index, id: call.id, type: call.id == nil ? nil : "function",
                    function: .init(name: call.name, arguments: call.arguments))
            ]
        case .finish(let reason):
            finish = reason.rawValue
        case .usage(let usage):
            self.usage = usage
            return nil
        }
        if !sentRole {
            sentRole = true
            delta.role = "assistant"
        }
        return frame(.init(id: id, created: created, model: model, choices: [.init(delta: delta, finishReason: finish)]))
    }

    /// The usage frame (if asked for) and `[DONE]`.
    func end() throws -> ByteBuffer {
        var buffer = ByteBuffer()
        if includeUsage {
            var last = frame(.init(id: id, created: created, model: model, choices: [], usage: .init(usage)))
            buffer.writeBuffer(&last)
        }
        buffer.writeString("data: [DONE]\n\n")
        return buffer
    }

    /// The frame that reports an error after the stream has started.
    func errorFrame(_ error: ParleyError) -> ByteBuffer {
        var buffer = ByteBuffer(string: "data: ")
        buffer.writeData(ErrorSurface.openAI.body(for: error))
        buffer.writeString("\n\n")
        return buffer
    }

    private func frame(_ chunk: OpenAIResponses.Chunk) -> ByteBuffer {
        var json = JSONWriter()
        chunk.write(to: &json)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(json.bytes.count + 8)
        buffer.writeString("data: ")
        buffer.writeBytes(json.bytes)
        buffer.writeString("\n\n")
        return buffer
    }
}
