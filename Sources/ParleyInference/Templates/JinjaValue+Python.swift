/// Python's semantics for Jinja values: truth, equality, ordering, `str()` and `repr()`.
/// Templates print through `str()`, so these decide the bytes of the output.
extension JinjaValue {
    var isTruthy: Bool {
        switch self {
        case .undefined, .none: return false
        case .bool(let value): return value
        case .int(let value): return value != 0
        case .double(let value): return value != 0
        case .string(let value): return !value.isEmpty
        case .list(let values), .tuple(let values): return !values.isEmpty
        case .dict(let dict): return dict.count > 0
        case .namespace, .loop, .callable, .iterator: return true
        }
    }

    /// Python's `==`: `1 == 1.0 == True`, strings by code point, lists element by element.
    func pyEquals(_ other: JinjaValue) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let left), .string(let right)):
            return left.unicodeScalars.elementsEqual(right.unicodeScalars)
        case (.list(let left), .list(let right)), (.tuple(let left), .tuple(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.pyEquals($1) }
        case (.dict(let left), .dict(let right)):
            return left.count == right.count
                && left.pairs.allSatisfy { pair in right[pair.key].map { $0.pyEquals(pair.value) } ?? false }
        case (.namespace(let left), .namespace(let right)): return left === right
        case (.loop(let left), .loop(let right)): return left === right
        case (.callable(let left), .callable(let right)): return left === right
        case (.iterator(let left), .iterator(let right)): return left === right
        default:
            if let left = intValue, let right = other.intValue { return left == right }
            if let left = numberValue, let right = other.numberValue { return left == right }
            return false
        }
    }

    /// Python's type name, for error messages (`'str'`, `'NoneType'`).
    var typeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .namespace: return "Namespace"
        case .loop: return "LoopContext"
        case .callable: return "function"
        case .iterator(let iterator): return iterator.typeName
        }
    }

    /// How Jinja names the value's type in undefined-attribute messages (`dict object`, `None`).
    var objectTypeDescription: String {
        switch self {
        case .none: return "None"
        case .namespace: return "jinja2.utils.Namespace object"
        case .loop: return "jinja2.runtime.LoopContext object"
        default: return "\(typeName) object"
        }
    }

    /// Python's `<`, for sorting and comparisons; `nil` when the types cannot be ordered.
    func pyLess(_ other: JinjaValue) -> Bool? {
        switch (self, other) {
        case (.string(let left), .string(let right)):
            return left.unicodeScalars.lexicographicallyPrecedes(right.unicodeScalars)
        case (.list(let left), .list(let right)), (.tuple(let left), .tuple(let right)):
            for (a, b) in zip(left, right) where !a.pyEquals(b) {
                return a.pyLess(b)
            }
            return left.count < right.count
        default:
            if let left = intValue, let right = other.intValue { return left < right }
            if let left = numberValue, let right = other.numberValue { return left < right }
            return nil
        }
    }

    /// `str(value)`: what `{{ value }}` prints.
    var pyStr: String {
        switch self {
        case .undefined: return ""
        case .string(let value): return value
        default: return pyRepr
        }
    }

    /// `repr(value)`: how values print inside lists and dicts.
    var pyRepr: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "None"
        case .bool(let value): return value ? "True" : "False"
        case .int(let value): return String(value)
        case .double(let value): return PythonFormat.floatRepr(value)
        case .string(let value): return PythonFormat.stringRepr(value)
        case .list(let values): return "[" + values.map(\.pyRepr).joined(separator: ", ") + "]"
        case .tuple(let values):
            if values.count == 1 { return "(" + values[0].pyRepr + ",)" }
            return "(" + values.map(\.pyRepr).joined(separator: ", ") + ")"
        case .dict(let dict):
            return "{" + dict.pairs.map { $0.key.pyRepr + ": " + $0.value.pyRepr }.joined(separator: ", ") + "}"
        case .namespace(let namespace): return "<Namespace " + JinjaValue.dict(namespace.attributes).pyRepr + ">"
        case .loop(let loop): return "<LoopContext \(loop.index0 + 1)/\(loop.items.count)>"
        case .callable(let callable): return "<function \(callable.name)>"
        // Python adds the object's address, which no two runs share.
        case .iterator(let iterator): return "<\(iterator.typeName) object>"
        }
    }

    /// Python's `hash()` refuses mutable values as dict keys and set members.
    var isHashable: Bool {
        switch self {
        case .list, .dict, .namespace: return false
        case .tuple(let values): return values.allSatisfy(\.isHashable)
        default: return true
        }
    }
}
