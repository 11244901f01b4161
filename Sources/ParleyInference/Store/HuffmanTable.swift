/// A canonical Huffman code: a lookup table for codes up to `fastBits` long, and counts and
/// symbols for decoding longer ones.
struct HuffmanTable {
    static let maximumLength = 15
    static let fastBits = 10
    static let fastMask = (1 << fastBits) - 1

    var counts = [UInt16](repeating: 0, count: maximumLength + 1)
    var symbols: [UInt16]
    /// `symbol << 4 | length`, indexed by the next `fastBits` bits; 0 where the code is longer.
    var fast = [UInt16](repeating: 0, count: 1 << fastBits)

    init(_ lengths: [UInt8]) throws {
        for length in lengths { counts[Int(length)] += 1 }
        counts[0] = 0
        var left = 1
        for length in 1...Self.maximumLength {
            left = (left << 1) - Int(counts[length])
            guard left >= 0 else { throw Inflater.DataError(reason: "over-subscribed Huffman code") }
        }
        var offsets = [Int](repeating: 0, count: Self.maximumLength + 2)
        for length in 1...Self.maximumLength { offsets[length + 1] = offsets[length] + Int(counts[length]) }
        symbols = [UInt16](repeating: 0, count: offsets[Self.maximumLength + 1])
        var next = offsets
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[next[Int(length)]] = UInt16(symbol)
            next[Int(length)] += 1
        }
        // Canonical codes in order of (length, symbol); the stream sends them most significant bit
        // first, so the table is indexed by the reversed code.
        var code = 0
        var index = 0
        for length in 1...Self.maximumLength {
            for _ in 0..<Int(counts[length]) {
                if length <= Self.fastBits {
                    var reversed = 0
                    for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
                    let entry = symbols[index] << 4 | UInt16(length)
                    var slot = reversed
                    while slot < fast.count {
                        fast[slot] = entry
                        slot += 1 << length
                    }
                }
                code += 1
                index += 1
            }
            code <<= 1
        }
    }
}
