/// Sets, replaces or (with `nil`) removes the value at `index` in parallel key and value arrays,
/// appending new keys so that insertion order is kept. Shared by the template engine's two ordered
/// dictionaries, which differ only in how keys compare.
func setOrderedEntry<Key, Value>(
    _ newValue: Value?, key: Key, at index: Int?, keys: inout [Key], values: inout [Value]
) {
    if let index {
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
