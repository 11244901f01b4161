/// `value.name` and `value[key]` as Jinja's sandbox resolves them: `.name` prefers a Python
/// attribute (a method such as `items` or `strip`) and falls back to the item; `[key]` prefers the
/// item. A miss gives an undefined value that says what was missing.
enum JinjaAttributes {
    static func attribute(of value: JinjaValue, _ name: String) throws -> JinjaValue {
        if case .undefined(let hint) = value { throw TemplateError.undefined(hint) }
        if let method = JinjaMethods.method(of: value, named: name) { return .callable(method) }
        switch value {
        case .dict(let dict):
            if let found = dict[name] { return found }
        case .namespace(let namespace):
            if let found = namespace.attributes[name] { return found }
        case .loop(let loop):
            if let found = loop.attribute(name) { return found }
        default:
            break
        }
        return missingAttribute(value, name)
    }

    static func item(of value: JinjaValue, _ key: JinjaValue) throws -> JinjaValue {
        switch value {
        case .undefined(let hint):
            throw TemplateError.undefined(hint)
        case .list(let values), .tuple(let values):
            if let index = key.intValue, !isDouble(key) {
                let position = index < 0 ? index + values.count : index
                if values.indices.contains(position) { return values[position] }
            }
        case .string(let text):
            if let index = key.intValue, !isDouble(key) {
                let scalars = Array(text.unicodeScalars)
                let position = index < 0 ? index + scalars.count : index
                if scalars.indices.contains(position) { return .string(String(scalars[position])) }
            }
        case .dict(let dict):
            if let found = dict[key] { return found }
        default:
            break
        }
        if case .string(let name) = key { return try attribute(of: value, name) }
        return .undefined(hint: "\(value.objectTypeDescription) has no element \(key.pyRepr)")
    }

    private static func isDouble(_ value: JinjaValue) -> Bool {
        if case .double = value { return true }
        return false
    }

    private static func missingAttribute(_ value: JinjaValue, _ name: String) -> JinjaValue {
        .undefined(hint: "'\(value.objectTypeDescription)' has no attribute '\(name)'")
    }

    /// `value[start:stop:step]` on lists, tuples and strings.
    static func slice(_ value: JinjaValue, start: JinjaValue?, stop: JinjaValue?, step: JinjaValue?) throws
        -> JinjaValue
    {
        func bound(_ value: JinjaValue?) throws -> Int? {
            guard let value, !isNone(value) else { return nil }
            guard let number = value.intValue, !isDouble(value) else {
                throw TemplateError.type("slice indices must be integers or None")
            }
            return number
        }
        let (from, to, by) = (try bound(start), try bound(stop), try bound(step))
        switch value {
        case .undefined(let hint):
            throw TemplateError.undefined(hint)
        case .list(let values):
            let indices = try PythonString.sliceIndices(count: values.count, start: from, stop: to, step: by)
            return .list(indices.map { values[$0] })
        case .tuple(let values):
            let indices = try PythonString.sliceIndices(count: values.count, start: from, stop: to, step: by)
            return .tuple(indices.map { values[$0] })
        case .string(let text):
            let scalars = Array(text.unicodeScalars)
            let indices = try PythonString.sliceIndices(count: scalars.count, start: from, stop: to, step: by)
            return .string(PythonString.make(indices.map { scalars[$0] }))
        default:
            return .undefined(hint: "\(value.objectTypeDescription) has no element slice")
        }
    }

    private static func isNone(_ value: JinjaValue) -> Bool {
        if case .none = value { return true }
        return false
    }
}
