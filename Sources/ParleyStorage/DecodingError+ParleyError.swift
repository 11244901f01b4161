import ParleyCore

extension DecodingError {
    /// The error as a 400 that names the field at fault the way a person would write it
    /// (`messages[3].role`, `[0].mapping`).
    ///
    /// - Parameter document: what the whole document should be, for errors about the document itself
    ///   ("a JSON array of conversations").
    func parleyError(document: String) -> ParleyError {
        let path: [any CodingKey]
        let problem: String
        switch self {
        case .typeMismatch(let type, let context):
            path = context.codingPath
            problem = "expected \(Self.describe(type))"
        case .valueNotFound(let type, let context):
            path = context.codingPath
            problem = "expected \(Self.describe(type)), not null"
        case .keyNotFound(let key, let context):
            path = context.codingPath + [key]
            problem = "is required"
        case .dataCorrupted(let context):
            path = context.codingPath
            problem = context.debugDescription
        @unknown default:
            return ParleyError.badRequest("not \(document)")
        }
        guard !path.isEmpty else {
            if case .dataCorrupted = self { return ParleyError.badRequest("the file is not valid JSON") }
            return ParleyError.badRequest("expected \(document)")
        }
        let param = Self.param(path)
        return ParleyError.badRequest("\(param): \(problem)", param: param)
    }

    static func param(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == "\(index)" {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is Double.Type: return "a number"
        default:
            if name.hasPrefix("Array") || name.hasPrefix("[") && !name.contains(":") { return "an array" }
            if name.hasPrefix("Dictionary") || name.contains(":") { return "an object" }
            return "a \(name)"
        }
    }
}
