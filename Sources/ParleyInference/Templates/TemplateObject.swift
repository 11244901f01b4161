/// A JSON-like object whose keys keep their insertion order (a Python dict).
public struct TemplateObject: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    public private(set) var keys: [String] = []
    public private(set) var values: [TemplateValue] = []

    public init() {}

    /// Builds an object from pairs in order; a repeated key keeps its first position and last value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, TemplateValue) {
        for (key, value) in pairs {
            self[key] = value
        }
    }

    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self.init(elements)
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// The pairs in insertion order.
    public var entries: [(key: String, value: TemplateValue)] {
        Array(zip(keys, values)).map { (key: $0.0, value: $0.1) }
    }

    public subscript(key: String) -> TemplateValue? {
        get {
            guard let index = index(of: key) else { return nil }
            return values[index]
        }
        set { setOrderedEntry(newValue, key: key, at: index(of: key), keys: &keys, values: &values) }
    }

    // Keys compare by Unicode scalars, as Python's str does (Swift's == would fold canonical equivalents).
    private func index(of key: String) -> Int? {
        keys.firstIndex { $0.unicodeScalars.elementsEqual(key.unicodeScalars) }
    }
}
