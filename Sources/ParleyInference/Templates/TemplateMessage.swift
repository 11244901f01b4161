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

/// A call an assistant message made, in the shape transformers' templates read:
/// `{"id": ..., "type": "function", "function": {"name": ..., "arguments": {...}}}`.
public struct TemplateToolCall: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The arguments as an object (templates print them with `tojson`), or a string when they are
    /// not JSON.
    public var arguments: TemplateValue

    public init(id: String, name: String, arguments: TemplateValue) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }

    /// A canonical call; its JSON arguments are parsed with their key order kept.
    public init(_ call: ToolCall) {
        let parsed = try? TemplateValue.parseJSON(call.arguments)
        self.init(id: call.id, name: call.name, arguments: parsed ?? .string(call.arguments))
    }

    public var templateValue: TemplateValue {
        [
            "id": .string(id),
            "type": "function",
            "function": ["name": .string(name), "arguments": arguments],
        ]
    }
}

extension ToolDefinition {
    /// The tool as transformers passes it in `tools`: `{"type": "function", "function": {...}}`.
    public var templateValue: TemplateValue {
        var function: TemplateObject = ["name": .string(name)]
        if let description { function["description"] = .string(description) }
        if let parameters { function["parameters"] = TemplateValue(parameters) }
        return ["type": "function", "function": .object(function)]
    }
}
