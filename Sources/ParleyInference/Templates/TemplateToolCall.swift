import ParleyCore

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
