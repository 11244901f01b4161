/// Reads the arguments of a filter, test, global or method the way Python binds them: by position,
/// or by keyword.
struct JinjaArgumentReader {
    let function: String
    let positional: [JinjaValue]
    let keyword: [(String, JinjaValue)]

    init(_ function: String, _ positional: [JinjaValue], _ keyword: [(String, JinjaValue)]) {
        self.function = function
        self.positional = positional
        self.keyword = keyword
    }

    /// The argument at `index`, or passed as `name`; nil when absent.
    func value(_ index: Int, _ name: String) -> JinjaValue? {
        if index < positional.count { return positional[index] }
        return keyword.first { $0.0 == name }?.1
    }

    func required(_ index: Int, _ name: String) throws -> JinjaValue {
        guard let value = value(index, name) else {
            throw TemplateError.type("\(function)() missing required argument: '\(name)'")
        }
        return value
    }

    /// A string argument; `None` reads as absent.
    func string(_ index: Int, _ name: String) throws -> String? {
        guard let value = value(index, name) else { return nil }
        switch value {
        case .none: return nil
        case .string(let text): return text
        default: throw TemplateError.type("\(function)() argument '\(name)' must be str, not \(value.typeName)")
        }
    }

    func int(_ index: Int, _ name: String) throws -> Int? {
        guard let value = value(index, name) else { return nil }
        if case .none = value { return nil }
        if case .double = value { throw TemplateError.type("'float' object cannot be interpreted as an integer") }
        guard let number = value.intValue else {
            throw TemplateError.type("'\(value.typeName)' object cannot be interpreted as an integer")
        }
        return number
    }

    func bool(_ index: Int, _ name: String, default defaultValue: Bool) -> Bool {
        value(index, name)?.isTruthy ?? defaultValue
    }

    /// Fails when more positional arguments are given than the function takes.
    func expectAtMost(_ count: Int) throws {
        guard positional.count <= count else {
            throw TemplateError.type("\(function)() takes at most \(count) arguments (\(positional.count) given)")
        }
    }
}
