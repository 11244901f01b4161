/// Jinja's tests: `value is defined`, `value is none`, `value is string`, `n is divisibleby 3`, ...
enum JinjaPredicates {
    static func test(
        _ name: String,
        _ value: JinjaValue,
        _ positional: [JinjaValue],
        _ keyword: [(String, JinjaValue)],
        interpreter: JinjaInterpreter
    ) throws -> Bool {
        let arguments = JinjaArgumentReader(name, positional, keyword)
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none":
            if case .none = value { return true }
            return false
        case "boolean":
            if case .bool = value { return true }
            return false
        case "true":
            if case .bool(true) = value { return true }
            return false
        case "false":
            if case .bool(false) = value { return true }
            return false
        case "integer":
            if case .int = value { return true }
            return false
        case "float":
            if case .double = value { return true }
            return false
        case "number":
            switch value {
            case .int, .double, .bool: return true
            default: return false
            }
        case "string":
            if case .string = value { return true }
            return false
        case "mapping":
            if case .dict = value { return true }
            return false
        case "sequence":
            // Python checks for `len()` and `__getitem__`, which Jinja's Undefined has.
            switch value {
            case .list, .tuple, .string, .dict, .undefined: return true
            default: return false
            }
        case "iterable":
            switch value {
            case .list, .tuple, .string, .dict, .undefined, .iterator: return true
            default: return false
            }
        case "callable":
            if case .callable = value { return true }
            return false
        case "odd", "even":
            guard let number = value.intValue else { throw TemplateError.type("not an integer") }
            return (number % 2 != 0) == (name == "odd")
        case "divisibleby":
            guard let number = value.intValue, let divisor = try arguments.int(0, "num"), divisor != 0 else {
                throw TemplateError.runtime("divisibleby needs a non-zero integer")
            }
            return number % divisor == 0
        case "lower":
            return try JinjaMethods.method(of: .string(value.pyStr), named: "islower")!.body([], []).isTruthy
        case "upper":
            return try JinjaMethods.method(of: .string(value.pyStr), named: "isupper")!.body([], []).isTruthy
        case "sameas":
            return identical(value, try arguments.required(0, "other"))
        case "escaped":
            return false
        case "in":
            return try JinjaOperators.contains(try arguments.required(0, "seq"), value)
        case "filter":
            return JinjaFilters.exists(value.pyStr)
        case "test":
            return knownTests.contains(value.pyStr) || comparisonAliases[value.pyStr] != nil
        default:
            if let op = comparisonAliases[name] {
                return try JinjaOperators.compare(op, value, try arguments.required(0, "other"))
            }
            throw TemplateError.unsupported("no test named '\(name)'")
        }
    }

    private static let comparisonAliases: [String: String] = [
        "eq": "==", "equalto": "==", "==": "==",
        "ne": "!=", "!=": "!=",
        "lt": "<", "lessthan": "<", "<": "<",
        "le": "<=", "<=": "<=",
        "gt": ">", "greaterthan": ">", ">": ">",
        "ge": ">=", ">=": ">=",
    ]

    private static let knownTests: Set<String> = [
        "defined", "undefined", "none", "boolean", "true", "false", "integer", "float", "number", "string",
        "mapping", "sequence", "iterable", "callable", "odd", "even", "divisibleby", "lower", "upper", "sameas",
        "escaped", "in", "filter", "test",
    ]

    /// Python's `is`: singletons and small values by value, containers by identity (which value
    /// types cannot have, so two containers are never the same object here).
    private static func identical(_ left: JinjaValue, _ right: JinjaValue) -> Bool {
        switch (left, right) {
        case (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.undefined, .undefined): return true
        case (.namespace(let a), .namespace(let b)): return a === b
        case (.callable(let a), .callable(let b)): return a === b
        default: return false
        }
    }
}
