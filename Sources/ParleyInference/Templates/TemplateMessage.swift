import ParleyCore

/// A message as chat templates see it: the dict transformers passes for each message
/// (`{"role": ..., "content": ..., "tool_calls": [...]}`).
public struct TemplateMessage: Sendable, Hashable {
    public var role: String
    /// A string, `.null`, or a list of content parts (`[{"type": "text", "text": ...}]`).
    public var content: TemplateValue
    public var name: String?
    public var toolCalls: [TemplateToolCall]
    /// For a `tool` message: the id of the call it answers.
    public var toolCallID: String?

    public init(
        role: String,
        content: TemplateValue,
        name: String? = nil,
        toolCalls: [TemplateToolCall] = [],
        toolCallID: String? = nil
    ) {
        self.role = role
        self.content = content
        self.name = name
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    /// A canonical message; parts are joined into text (the engine reads text only) and a missing
    /// content becomes `.null`, as in an OpenAI request.
    public init(_ message: ChatMessage) {
        self.init(
            role: message.role.rawValue,
            content: message.content.map { .string($0.text) } ?? .null,
            name: message.name,
            toolCalls: message.toolCalls.map(TemplateToolCall.init),
            toolCallID: message.toolCallID
        )
    }

    /// The message as a template value; optional keys are left out when absent, so
    /// `message.tool_calls is defined` means what templates expect.
    public var templateValue: TemplateValue {
        var object: TemplateObject = ["role": .string(role), "content": content]
        if let name { object["name"] = .string(name) }
        if !toolCalls.isEmpty { object["tool_calls"] = .array(toolCalls.map(\.templateValue)) }
        if let toolCallID { object["tool_call_id"] = .string(toolCallID) }
        return .object(object)
    }
}
