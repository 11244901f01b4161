/// Which adjacent pairs of symbols merge, how eagerly, and into what. Symbols are interned ids:
/// a token's id, or an id past the vocabulary for a string that is not a token.
struct MergeTable: Sendable {
    /// What a pair merges into. Lower `priority` merges first: a BPE rank, or a negated
    /// SentencePiece score.
    struct Merge {
        let priority: Float
        let result: Int32
    }

    private var entries: [UInt64: UInt64] = [:]

    var count: Int { entries.count }

    init(capacity: Int = 0) {
        entries.reserveCapacity(capacity)
    }

    @inline(__always)
    func merge(_ left: Int32, _ right: Int32) -> Merge? {
        guard let packed = entries[Self.key(left, right)] else { return nil }
        return Merge(
            priority: Float(bitPattern: UInt32(truncatingIfNeeded: packed >> 32)),
            result: Int32(bitPattern: UInt32(truncatingIfNeeded: packed))
        )
    }

    /// Adds a merge unless the pair already has one (the first, best-ranked rule wins).
    mutating func addIfAbsent(_ left: Int32, _ right: Int32, priority: Float, result: Int32) {
        let packed = UInt64(priority.bitPattern) << 32 | UInt64(UInt32(bitPattern: result))
        let key = Self.key(left, right)
        if entries[key] == nil { entries[key] = packed }
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }
}
