import ParleyCore

extension ToolDefinition {
    /// The tool as transformers passes it in `tools`: `{"type": "function", "function": {...}}`.
    public var templateValue: TemplateValue {
        var function: TemplateObject = ["name": .string(name)]
        if let description { function["description"] = .string(description) }
        if let parameters { function["parameters"] = TemplateValue(parameters) }
        return ["type": "function", "function": .object(function)]
    }
}
