import ParleyCore

extension TemplateValue {
    /// Parses a JSON text, keeping the order of object keys (as Python's `json.loads` does), so a
    /// tool call's arguments come back out of `tojson` in the order the model wrote them.
    ///
    /// Numbers without a fraction or exponent become `.int` (when they fit), others `.double`.
    /// - Throws: `TemplateError` when the text is not JSON.
    public static func parseJSON(_ text: String) throws -> TemplateValue {
        var parser = OrderedJSONParser(Array(text.utf8))
        return try parser.parseDocument()
    }

    /// Converts a `JSONValue` (whose objects have no order of their own): keys are sorted, so the
    /// same value always renders the same way.
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 9.007_199_254_740_992e15 {
                self = .int(Int(value))
            } else {
                self = .double(value)
            }
        case .string(let value): self = .string(value)
        case .array(let values): self = .array(values.map(TemplateValue.init))
        case .object(let object):
            self = .object(TemplateObject(object.keys.sorted().map { ($0, TemplateValue(object[$0]!)) }))
        }
    }
}
