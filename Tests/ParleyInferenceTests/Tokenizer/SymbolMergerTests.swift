import Testing

@testable import ParleyInference

/// The two merge loops (scanning for short words, a heap for long ones) must agree exactly.
@Suite struct SymbolMergerTests {
    @Test func scanningAndHeapMergeIdentically() {
        var random = SplitMix(seed: 42)
        for round in 0..<300 {
            // Few symbol kinds and many merges, so that ties and chains are common.
            let kinds = 3 + Int(random.next() % 5)
            var table = MergeTable()
            var next = Int32(kinds)
            for _ in 0..<(kinds * 4) {
                let left = Int32(random.next() % UInt64(next))
                let right = Int32(random.next() % UInt64(next))
                let priority = round.isMultiple(of: 2) ? Float(random.next() % 8) : -Float(random.next() % 8) / 2
                table.addIfAbsent(left, right, priority: priority, result: next)
                next += 1
            }
            let length = 1 + Int(random.next() % 40)
            let symbols = (0..<length).map { _ in
                SymbolMerger.Symbol(id: Int32(random.next() % UInt64(kinds)), length: 1 + Int32(random.next() % 3))
            }
            let scanned = SymbolMerger.mergeByScanning(symbols, table: table)
            let heaped = SymbolMerger.mergeWithHeap(symbols, table: table)
            #expect(scanned.map(\.id) == heaped.map(\.id), "round \(round)")
            #expect(scanned.map(\.length) == heaped.map(\.length), "round \(round)")
            #expect(scanned.reduce(0) { $0 + $1.length } == symbols.reduce(0) { $0 + $1.length })
        }
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
