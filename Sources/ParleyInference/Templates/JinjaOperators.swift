import Foundation

/// Python's arithmetic and comparison operators over Jinja values, with Python's errors.
enum JinjaOperators {
    static func negate(_ value: JinjaValue) throws -> JinjaValue {
        switch value {
        case .undefined(let hint): throw TemplateError.undefined(hint)
        case .double(let number): return .double(-number)
        default:
            guard let number = value.intValue else {
                throw TemplateError.type("bad operand type for unary -: '\(value.typeName)'")
            }
            return .int(-number)
        }
    }

    static func binary(_ op: String, _ left: JinjaValue, _ right: JinjaValue) throws -> JinjaValue {
        if case .undefined(let hint) = left { throw TemplateError.undefined(hint) }
        if case .undefined(let hint) = right { throw TemplateError.undefined(hint) }
        switch op {
        case "+": return try add(left, right)
        case "*": return try multiply(left, right)
        default: return try arithmetic(op, left, right)
        }
    }

    private static func add(_ left: JinjaValue, _ right: JinjaValue) throws -> JinjaValue {
        switch (left, right) {
        case (.string(let a), .string(let b)): return .string(a + b)
        case (.list(let a), .list(let b)): return .list(a + b)
        case (.tuple(let a), .tuple(let b)): return .tuple(a + b)
        case (.string, _):
            throw TemplateError.type("can only concatenate str (not \"\(right.typeName)\") to str")
        case (.list, _):
            throw TemplateError.type("can only concatenate list (not \"\(right.typeName)\") to list")
        case (.tuple, _):
            throw TemplateError.type("can only concatenate tuple (not \"\(right.typeName)\") to tuple")
        default:
            return try arithmetic("+", left, right)
        }
    }

    private static func multiply(_ left: JinjaValue, _ right: JinjaValue) throws -> JinjaValue {
        switch (left, right) {
        case (.string(let text), _) where right.intValue != nil && !isDouble(right):
            return .string(String(repeating: text, count: max(0, right.intValue!)))
        case (_, .string(let text)) where left.intValue != nil && !isDouble(left):
            return .string(String(repeating: text, count: max(0, left.intValue!)))
        case (.list(let items), _) where right.intValue != nil && !isDouble(right):
            return .list(Array(repeating: items, count: max(0, right.intValue!)).flatMap { $0 })
        case (_, .list(let items)) where left.intValue != nil && !isDouble(left):
            return .list(Array(repeating: items, count: max(0, left.intValue!)).flatMap { $0 })
        case (.tuple(let items), _) where right.intValue != nil && !isDouble(right):
            return .tuple(Array(repeating: items, count: max(0, right.intValue!)).flatMap { $0 })
        default:
            return try arithmetic("*", left, right)
        }
    }

    private static func isDouble(_ value: JinjaValue) -> Bool {
        if case .double = value { return true }
        return false
    }

    private static func unsupported(_ op: String, _ left: JinjaValue, _ right: JinjaValue) -> TemplateError {
        .type("unsupported operand type(s) for \(op): '\(left.typeName)' and '\(right.typeName)'")
    }

    /// Numbers only: integers stay integers (except `/`), anything with a float becomes a float.
    private static func arithmetic(_ op: String, _ left: JinjaValue, _ right: JinjaValue) throws -> JinjaValue {
        if case .string = left, op == "%" {
            throw TemplateError.unsupported("printf-style string formatting ('...' % value) is not supported")
        }
        if !isDouble(left), !isDouble(right), let a = left.intValue, let b = right.intValue {
            return try integerArithmetic(op, a, b)
        }
        guard let a = left.numberValue, let b = right.numberValue else { throw unsupported(op, left, right) }
        switch op {
        case "+": return .double(a + b)
        case "-": return .double(a - b)
        case "*": return .double(a * b)
        case "/":
            guard b != 0 else { throw TemplateError.runtime("float division by zero") }
            return .double(a / b)
        case "//":
            guard b != 0 else { throw TemplateError.runtime("float floor division by zero") }
            return .double((a / b).rounded(.down))
        case "%":
            guard b != 0 else { throw TemplateError.runtime("float modulo") }
            let remainder = fmod(a, b)
            return .double(remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder)
        case "**": return .double(pow(a, b))
        default: throw unsupported(op, left, right)
        }
    }

    private static func integerArithmetic(_ op: String, _ a: Int, _ b: Int) throws -> JinjaValue {
        func checked(_ result: (partialValue: Int, overflow: Bool)) throws -> JinjaValue {
            guard !result.overflow else { throw TemplateError.runtime("integer overflow") }
            return .int(result.partialValue)
        }
        switch op {
        case "+": return try checked(a.addingReportingOverflow(b))
        case "-": return try checked(a.subtractingReportingOverflow(b))
        case "*": return try checked(a.multipliedReportingOverflow(by: b))
        case "/":
            guard b != 0 else { throw TemplateError.runtime("division by zero") }
            return .double(Double(a) / Double(b))
        case "//", "%":
            guard b != 0 else { throw TemplateError.runtime("integer division or modulo by zero") }
            var quotient = a / b
            var remainder = a % b
            // Python floors; Swift truncates toward zero.
            if remainder != 0 && (remainder < 0) != (b < 0) {
                quotient -= 1
                remainder += b
            }
            return .int(op == "//" ? quotient : remainder)
        case "**":
            if b < 0 { return .double(pow(Double(a), Double(b))) }
            var result = 1
            for _ in 0..<b {
                let (product, overflow) = result.multipliedReportingOverflow(by: a)
                guard !overflow else { throw TemplateError.runtime("integer overflow") }
                result = product
            }
            return .int(result)
        default:
            throw TemplateError.type("unsupported operand type(s) for \(op): 'int' and 'int'")
        }
    }

    static func compare(_ op: String, _ left: JinjaValue, _ right: JinjaValue) throws -> Bool {
        switch op {
        case "==": return left.pyEquals(right)
        case "!=": return !left.pyEquals(right)
        case "in": return try contains(right, left)
        case "notin": return !(try contains(right, left))
        default: break
        }
        if case .undefined(let hint) = left { throw TemplateError.undefined(hint) }
        if case .undefined(let hint) = right { throw TemplateError.undefined(hint) }
        let swapped = op == ">" || op == "<="
        guard let less = swapped ? right.pyLess(left) : left.pyLess(right) else {
            throw TemplateError.type(
                "'\(op)' not supported between instances of '\(left.typeName)' and '\(right.typeName)'")
        }
        switch op {
        case "<", ">": return less
        default: return !less  // `<=` is `not (b < a)`, `>=` is `not (a < b)`
        }
    }

    /// Python's `item in container`.
    static func contains(_ container: JinjaValue, _ item: JinjaValue) throws -> Bool {
        switch container {
        case .string(let text):
            guard case .string(let needle) = item else {
                throw TemplateError.type("'in <string>' requires string as left operand, not \(item.typeName)")
            }
            return PythonString.contains(text, needle)
        case .list(let values), .tuple(let values):
            return values.contains { $0.pyEquals(item) }
        case .dict(let dict):
            return dict[item] != nil
        case .namespace(let namespace):
            return namespace.attributes[item] != nil
        case .undefined:
            return false
        case .iterator(let iterator):
            // Python walks the iterator up to the first match, consuming it.
            while let next = iterator.next() {
                if next.pyEquals(item) { return true }
            }
            return false
        default:
            throw TemplateError.type("argument of type '\(container.typeName)' is not iterable")
        }
    }
}
