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
