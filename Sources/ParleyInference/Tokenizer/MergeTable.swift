/// Which adjacent pairs of symbols merge, how eagerly, and into what: an open-addressing hash table
/// keyed by the pair of interned symbol ids, looked up for every adjacent pair while merging. Keys
/// come only from the model file, so a fixed hash is safe.
struct MergeTable: Sendable {
    /// What a pair merges into. Lower `priority` merges first: a BPE rank, or a negated
    /// SentencePiece score.
    struct Merge {
        let priority: Float
        let result: Int32
    }

    private static let empty = UInt64.max
    private var keys: [UInt64]
    private var values: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: Self.empty, count: size)
        values = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    func merge(_ left: Int32, _ right: Int32) -> Merge? {
        let key = Self.key(left, right)
        var slot = Self.slot(key, mask)
        while true {
            let stored = keys[slot]
            if stored == key {
                let packed = values[slot]
                return Merge(
                    priority: Float(bitPattern: UInt32(truncatingIfNeeded: packed >> 32)),
                    result: Int32(bitPattern: UInt32(truncatingIfNeeded: packed))
                )
            }
            if stored == Self.empty { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// Adds a merge unless the pair already has one (the first, best-ranked rule wins).
    mutating func addIfAbsent(_ left: Int32, _ right: Int32, priority: Float, result: Int32) {
        let key = Self.key(left, right)
        var slot = Self.slot(key, mask)
        while keys[slot] != Self.empty {
            if keys[slot] == key { return }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        values[slot] = UInt64(priority.bitPattern) << 32 | UInt64(UInt32(bitPattern: result))
        count += 1
        if count * 2 > keys.count { grow() }
    }

    private mutating func grow() {
        let size = keys.count * 2
        var newKeys = [UInt64](repeating: Self.empty, count: size)
        var newValues = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        for slot in keys.indices where keys[slot] != Self.empty {
            var target = Self.slot(keys[slot], newMask)
            while newKeys[target] != Self.empty { target = (target + 1) & newMask }
            newKeys[target] = keys[slot]
            newValues[target] = values[slot]
        }
        keys = newKeys
        values = newValues
        mask = newMask
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// Fibonacci hashing: the multiply spreads both ids over the high bits.
    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }
}
