/// How text becomes the symbols that merging starts from, and how leftover symbols that are not
/// tokens fall back to byte tokens. Built once per tokenizer, with its merge table.
struct SymbolIndex: Sendable {
    /// Token ids by text.
    let textIndex: [ByteString: Int32]
    /// Byte-level BPE: the symbol each input byte starts as.
    let byteSymbols: [Int32]
    /// Byte-level BPE: the token of each one-byte text, -1 if none (llama.cpp's last resort).
    let singleByteTokens: [Int32]
    /// Byte-level BPE with `ignoresMerges`: tokens by the bytes they stand for.
    let wholeWords: [ByteString: Int32]?
    /// SentencePiece: the symbol of each character that is a token or part of one.
    let characterSymbols: [UInt32: Int32]
    /// SentencePiece: the `<0xXX>` token of each byte (or the byte's own text), -1 if none.
    let byteTokens: [Int32]
    /// SentencePiece: emitted for a byte that has no token.
    let unknownID: Int32?

    /// An id no merge mentions and no token has.
    static let unmergeable = Int32.max

    static func bytePair(texts: [String], merges: [String], wholeWords: Bool) -> (MergeTable, SymbolIndex) {
        var interner = Interner(texts: texts)
        var table = MergeTable(capacity: merges.count)
        for (rank, rule) in merges.enumerated() {
            // "left right", split at the first space after the first byte, as llama.cpp splits.
            let utf8 = rule.utf8
            guard utf8.count > 1, let space = utf8.dropFirst().firstIndex(of: 0x20) else { continue }
            let left = Array(utf8[..<space])
            let right = Array(utf8[utf8.index(after: space)...])
            guard !right.isEmpty else { continue }
            table.addIfAbsent(
                interner.id(ByteString(left)), interner.id(ByteString(right)), priority: Float(rank),
                result: interner.id(ByteString(left + right))
            )
        }
        let byteSymbols = ByteLevelEncoding.utf8ForByte.map { interner.id(ByteString($0)) }
        let singleByteTokens = (0..<256).map { byte in
            byte < 0x80 ? interner.tokenIndex[ByteString([UInt8(byte)])] ?? -1 : -1
        }
        var words: [ByteString: Int32]?
        if wholeWords {
            var map: [ByteString: Int32] = [:]
            map.reserveCapacity(texts.count)
            for (id, text) in texts.enumerated() {
                if let bytes = ByteLevelEncoding.decode(text) { map[ByteString(bytes)] = Int32(id) }
            }
            words = map
        }
        let index = SymbolIndex(
            textIndex: interner.tokenIndex, byteSymbols: byteSymbols, singleByteTokens: singleByteTokens,
            wholeWords: words, characterSymbols: [:], byteTokens: [], unknownID: nil
        )
        return (table, index)
    }

    /// SentencePiece merges two symbols when their concatenation is a token, best score first. Every
    /// symbol is a token or a single character, so the merges are every split of every token into
    /// two such parts.
    static func sentencePiece(texts: [String], scores: [Float]?, unknownID: Int32?) -> (MergeTable, SymbolIndex) {
        var interner = Interner(texts: texts)
        var characters: [UInt32: Int32] = [:]
        var table = MergeTable(capacity: texts.count * 4)
        func symbol(_ scalars: ArraySlice<Unicode.Scalar>) -> Int32? {
            let text = ByteString(String(String.UnicodeScalarView(scalars)))
            if let id = interner.tokenIndex[text] { return id }
            return scalars.count == 1 ? interner.id(text) : nil
        }
        for (id, text) in texts.enumerated() {
            let scalars = Array(text.unicodeScalars)
            guard scalars.count > 1 else { continue }
            let priority = -(scores?[id] ?? 0)
            for split in 1..<scalars.count {
                if let left = symbol(scalars[..<split]), let right = symbol(scalars[split...]) {
                    table.addIfAbsent(left, right, priority: priority, result: Int32(id))
                }
            }
        }
        for (text, id) in interner.allIDs {
            let string = String(decoding: text.bytes, as: UTF8.self)
            if string.unicodeScalars.count == 1 { characters[string.unicodeScalars.first!.value] = id }
        }
        let byteTokens: [Int32] = (0..<256).map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            if let id = interner.tokenIndex[ByteString("<0x" + (byte < 16 ? "0" : "") + hex + ">")] { return id }
            return byte < 0x80 ? interner.tokenIndex[ByteString([UInt8(byte)])] ?? -1 : -1
        }
        let index = SymbolIndex(
            textIndex: interner.tokenIndex, byteSymbols: [], singleByteTokens: [], wholeWords: nil,
            characterSymbols: characters, byteTokens: byteTokens, unknownID: unknownID
        )
        return (table, index)
    }
}

/// Gives every string an id: a token's own id, or a fresh one past the vocabulary.
private struct Interner {
    let tokenIndex: [ByteString: Int32]
    private var extra: [ByteString: Int32] = [:]
    private let count: Int32

    init(texts: [String]) {
        var index: [ByteString: Int32] = [:]
        index.reserveCapacity(texts.count)
        // A later duplicate wins, as in llama.cpp's map.
        for (id, text) in texts.enumerated() { index[ByteString(text)] = Int32(id) }
        tokenIndex = index
        count = Int32(texts.count)
    }

    mutating func id(_ text: ByteString) -> Int32 {
        if let id = tokenIndex[text] ?? extra[text] { return id }
        let id = count + Int32(extra.count)
        extra[text] = id
        return id
    }

    var allIDs: [(ByteString, Int32)] {
        tokenIndex.map { ($0.key, $0.value) } + extra.map { ($0.key, $0.value) }
    }
}
