import ParleyCore

/// Reads typed fields out of a JSON object, naming the field in every error
/// (`messages[1].content: expected a string or an array, got a number`).
struct FieldReader {
    let object: [String: JSONValue]
    /// The path of this object in the request (`messages[1]`); empty at the top.
    let path: String

    init(_ object: [String: JSONValue], path: String = "") {
        self.object = object
        self.path = path
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func fail(_ key: String, _ problem: String) -> ParleyError {
        .badRequest("\(name(key)): \(problem)", param: name(key))
    }

    /// The value, with JSON `null` read as absent.
    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw fail(key, "expected a string, got \(value.typeName)") }
        return text
    }

    func requiredString(_ key: String) throws -> String {
        guard let text = try string(key) else { throw fail(key, "is required") }
        return text
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else { throw fail(key, "expected a boolean, got \(value.typeName)") }
        return flag
    }

    func number(_ key: String, in range: ClosedRange<Double>? = nil) throws -> Double? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value else { throw fail(key, "expected a number, got \(value.typeName)") }
        if let range, !range.contains(number) {
            throw fail(key, "\(number.compactText) is out of range; expected \(range.lowerBound.compactText) to \(range.upperBound.compactText)")
        }
        return number
    }

    func integer(_ key: String, in range: ClosedRange<Int>? = nil) throws -> Int? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value, number.rounded() == number, abs(number) < 9e15 else {
            throw fail(key, "expected an integer, got \(value.typeName == "a number" ? "a fraction" : value.typeName)")
        }
        let integer = Int(number)
        if let range, !range.contains(integer) {
            throw fail(key, "\(integer) is out of range; expected \(range.lowerBound) to \(range.upperBound)")
        }
        return integer
    }

    func array(_ key: String) throws -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw fail(key, "expected an array, got \(value.typeName)") }
        return items
    }

    func object(_ key: String) throws -> FieldReader? {
        guard let value = value(key) else { return nil }
        guard case .object(let fields) = value else { throw fail(key, "expected an object, got \(value.typeName)") }
        return FieldReader(fields, path: name(key))
    }

    /// Each element of an array as an object.
    func objects(_ key: String) throws -> [FieldReader]? {
        try array(key)?.enumerated().map { index, item in
            guard case .object(let fields) = item else {
                throw fail("\(key)[\(index)]", "expected an object, got \(item.typeName)")
            }
            return FieldReader(fields, path: "\(name(key))[\(index)]")
        }
    }

    /// A string or an array of strings (OpenAI's `stop`, embeddings' `input`).
    func strings(_ key: String) throws -> [String]? {
        guard let value = value(key) else { return nil }
        switch value {
        case .string(let text): return [text]
        case .array(let items):
            return try items.enumerated().map { index, item in
                guard case .string(let text) = item else {
                    throw fail("\(key)[\(index)]", "expected a string, got \(item.typeName)")
                }
                return text
            }
        default:
            throw fail(key, "expected a string or an array of strings, got \(value.typeName)")
        }
    }
}

extension Double {
    var compactText: String {
        rounded() == self && abs(self) < 1e15 ? String(Int64(self)) : String(self)
    }
}
