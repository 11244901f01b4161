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
        set { setOrderedEntry(newValue, key: key, at: index(of: key), keys: &keys, values: &values) }
    }

    subscript(key: String) -> JinjaValue? {
        get { self[.string(key)] }
        set { self[.string(key)] = newValue }
    }

    private func index(of key: JinjaValue) -> Int? {
        keys.firstIndex { $0.pyEquals(key) }
    }
}
