/// A value while a template renders: Python's types as Jinja sees them.
enum JinjaValue {
    /// A missing variable, attribute or item. Printing it gives `""`; most other uses fail with
    /// `hint` (Jinja's default `Undefined`).
    case undefined(hint: String)
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([JinjaValue])
    case tuple([JinjaValue])
    case dict(JinjaDict)
    case namespace(JinjaNamespace)
    case loop(JinjaLoop)
    case callable(JinjaCallable)
    /// What `map`, `select`, `items`, `reverse` and the like return: a one-pass Python iterator,
    /// always true, without a length, empty once walked.
    case iterator(JinjaIterator)

    init(_ value: TemplateValue) {
        switch value {
        case .null: self = .none
        case .bool(let value): self = .bool(value)
        case .int(let value): self = .int(value)
        case .double(let value): self = .double(value)
        case .string(let value): self = .string(value)
        case .array(let values): self = .list(values.map(JinjaValue.init))
        case .object(let object):
            var dict = JinjaDict()
            for (key, value) in zip(object.keys, object.values) {
                dict[.string(key)] = JinjaValue(value)
            }
            self = .dict(dict)
        }
    }

    static func undefinedName(_ name: String) -> JinjaValue {
        .undefined(hint: "'\(name)' is undefined")
    }

    var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements of a list or tuple.
    var sequenceValue: [JinjaValue]? {
        switch self {
        case .list(let values), .tuple(let values): return values
        default: return nil
        }
    }

    /// Integers (and bools, which Python counts as integers).
    var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .bool(let value): return value ? 1 : 0
        default: return nil
        }
    }

    /// Any number as a double.
    var numberValue: Double? {
        switch self {
        case .double(let value): return value
        default: return intValue.map(Double.init)
        }
    }
}
