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

/// A Python dict: insertion-ordered, keys compared with Python's `==`.
struct JinjaDict {
    private(set) var keys: [JinjaValue] = []
    private(set) var values: [JinjaValue] = []

    var count: Int { keys.count }

    var pairs: [(key: JinjaValue, value: JinjaValue)] {
        zip(keys, values).map { (key: $0.0, value: $0.1) }
    }

    subscript(key: JinjaValue) -> JinjaValue? {
        get { index(of: key).map { values[$0] } }
        set {
            if let index = index(of: key) {
                if let newValue {
                    values[index] = newValue
                } else {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    subscript(key: String) -> JinjaValue? {
        get { self[.string(key)] }
        set { self[.string(key)] = newValue }
    }

    private func index(of key: JinjaValue) -> Int? {
        keys.firstIndex { $0.pyEquals(key) }
    }
}

/// `namespace(...)`: the one mutable object templates have, so a loop can leave a value behind.
final class JinjaNamespace {
    var attributes = JinjaDict()
}

/// The `loop` variable inside a `for` body.
final class JinjaLoop {
    let items: [JinjaValue]
    let depth: Int
    var index0 = 0

    init(items: [JinjaValue], depth: Int) {
        self.items = items
        self.depth = depth
    }

    func attribute(_ name: String) -> JinjaValue? {
        let length = items.count
        switch name {
        case "index": return .int(index0 + 1)
        case "index0": return .int(index0)
        case "revindex": return .int(length - index0)
        case "revindex0": return .int(length - index0 - 1)
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == length - 1)
        case "length": return .int(length)
        case "depth": return .int(depth)
        case "depth0": return .int(depth - 1)
        case "previtem":
            return index0 > 0 ? items[index0 - 1] : .undefined(hint: "there is no previous item")
        case "nextitem":
            return index0 + 1 < length ? items[index0 + 1] : .undefined(hint: "there is no next item")
        case "cycle":
            return .callable(
                JinjaCallable(name: "cycle") { [index0] arguments, _ in
                    guard !arguments.isEmpty else { throw TemplateError.type("no items for cycling given") }
                    return arguments[index0 % arguments.count]
                })
        default: return nil
        }
    }
}

/// A Python iterator or generator: items handed out once.
final class JinjaIterator {
    /// Python's type name (`generator`, `list_reverseiterator`), for messages.
    let typeName: String
    private let items: [JinjaValue]
    private var position = 0

    init(_ items: [JinjaValue], typeName: String = "generator") {
        self.items = items
        self.typeName = typeName
    }

    func next() -> JinjaValue? {
        guard position < items.count else { return nil }
        defer { position += 1 }
        return items[position]
    }

    /// The items not handed out yet; the iterator is exhausted afterwards.
    func drain() -> [JinjaValue] {
        defer { position = items.count }
        return Array(items[position...])
    }
}

/// A function a template can call: a global (`range`, `namespace`, `raise_exception`), a macro,
/// or a method bound to its value (`'text'.strip`).
final class JinjaCallable {
    typealias Body = (_ arguments: [JinjaValue], _ keywords: [(String, JinjaValue)]) throws -> JinjaValue

    let name: String
    let body: Body

    init(name: String, body: @escaping Body) {
        self.name = name
        self.body = body
    }
}
