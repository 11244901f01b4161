/// A whole answer, collected from a `ChatEvent` stream (non-streaming responses are built from it).
public struct ChatResult: Sendable, Hashable {
    public var text: String = ""
    public var toolCalls: [ToolCall] = []
    public var usage: Usage?
    public var finishReason: FinishReason?

    public init() {}

    /// Folds one event into the result.
    public mutating func apply(_ event: ChatEvent) {
        switch event {
        case .delta(let piece):
            text += piece
        case .toolCall(let delta):
            while toolCalls.count <= delta.index {
                toolCalls.append(ToolCall(id: "", name: "", arguments: ""))
            }
            if let id = delta.id { toolCalls[delta.index].id = id }
            if let name = delta.name { toolCalls[delta.index].name = name }
            toolCalls[delta.index].arguments += delta.arguments
        case .usage(let usage):
            self.usage = usage
        case .finish(let reason):
            finishReason = reason
        }
    }

    /// Collects a whole stream.
    public static func collect<S: AsyncSequence>(_ events: S) async throws -> ChatResult where S.Element == ChatEvent {
        var result = ChatResult()
        for try await event in events {
            result.apply(event)
        }
        return result
    }
}
