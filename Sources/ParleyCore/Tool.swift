/// A function the model may call.
public struct ToolDefinition: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// JSON Schema of the arguments.
    public var parameters: JSONValue?
    public var strict: Bool?

    public init(name: String, description: String? = nil, parameters: JSONValue? = nil, strict: Bool? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.strict = strict
    }
}

/// Whether and which tool the model must call.
public enum ToolChoice: Sendable, Hashable {
    case none
    case auto
    case required
    case function(String)
}

/// The shape the answer must take.
public enum ResponseFormat: Sendable, Hashable {
    case text
    case jsonObject
    /// OpenAI's `json_schema` format: the whole `json_schema` object (name, schema, strict).
    case jsonSchema(JSONValue)
}
