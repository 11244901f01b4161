/// Every token's bytes (control tokens with their text), computed once so that detokenizing is a
/// copy: the same cache llama.cpp keeps.
struct PieceTable: Sendable {
    private let bytes: [UInt8]
    /// Piece `i` is `bytes[ends[i - 1]..<ends[i]]` (from 0 for the first).
    private let ends: [Int32]

    init(count: Int, piece: (Int) -> [UInt8]) {
        var bytes: [UInt8] = []
        var ends: [Int32] = []
        ends.reserveCapacity(count)
        bytes.reserveCapacity(count * 6)
        for index in 0..<count {
            bytes.append(contentsOf: piece(index))
            ends.append(Int32(bytes.count))
        }
        self.bytes = bytes
        self.ends = ends
    }

    subscript(_ index: Int) -> ArraySlice<UInt8> {
        bytes[(index == 0 ? 0 : Int(ends[index - 1]))..<Int(ends[index])]
    }
}
