/// How text becomes the symbols that merging starts from, and how leftover symbols that are not
/// tokens fall back to byte tokens. Built once per tokenizer, with its merge table.
///
/// Symbols are interned ids: a token's id, or an id past the vocabulary for a string that only
/// occurs inside merge rules.
struct SymbolIndex: Sendable {
    /// Token ids (and the ids of interned non-tokens, past the vocabulary) by text.
    let texts: ByteStringTable
    let tokenCount: Int32
    /// Byte-level BPE: the symbol each input byte starts as.
    let byteSymbols: [Int32]
    /// Byte-level BPE: the token of each one-byte text, -1 if none (llama.cpp's last resort).
    let singleByteTokens: [Int32]
    /// Byte-level BPE with `ignoresMerges`: tokens by the bytes they stand for.
    let wholeWords: ByteStringTable?
    /// SentencePiece: the symbol of each character that is a token or part of one.
    let characterSymbols: [UInt32: Int32]
    /// SentencePiece: the `<0xXX>` token of each byte (or the byte's own text), -1 if none.
    let byteTokens: [Int32]
    /// SentencePiece: emitted for a byte that has no token.
    let unknownID: Int32?

    /// An id no merge mentions and no token has.
    static let unmergeable = Int32.max

    /// The id of the token with exactly this text.
    func tokenID(_ text: [UInt8]) -> Int32? {
        texts.value(for: text).flatMap { $0 < tokenCount ? $0 : nil }
    }

    static func bytePair(texts: [[UInt8]], merges: [String], wholeWords: Bool) -> (MergeTable, SymbolIndex) {
        var interner = Interner(texts: texts, extraCapacity: merges.count / 8)
        var table = MergeTable(capacity: merges.count)
        var joined: [UInt8] = []
        for (rank, rule) in merges.enumerated() {
            var rule = rule
            rule.withUTF8 { utf8 in
                // "left right", split at the first space after the first byte, as llama.cpp splits.
                guard utf8.count > 2, let space = utf8[1...].firstIndex(of: 0x20), space + 1 < utf8.count else {
                    return
                }
                let left = interner.id(UnsafeBufferPointer(rebasing: utf8[..<space]))
                let right = interner.id(UnsafeBufferPointer(rebasing: utf8[(space + 1)...]))
                joined.removeAll(keepingCapacity: true)
                joined.append(contentsOf: utf8[..<space])
                joined.append(contentsOf: utf8[(space + 1)...])
                let result = joined.withUnsafeBufferPointer { interner.id($0) }
                table.addIfAbsent(left, right, priority: Float(rank), result: result)
            }
        }
        let byteSymbols = ByteLevelEncoding.utf8ForByte.map { bytes in
            bytes.withUnsafeBufferPointer { interner.id($0) }
        }
        var words: ByteStringTable?
        if wholeWords {
            var map = ByteStringTable(capacity: texts.count)
            for (id, text) in texts.enumerated() {
                if let bytes = ByteLevelEncoding.decode(text) {
                    bytes.withUnsafeBufferPointer { map.set(Int32(id), for: $0) }
                }
            }
            words = map
        }
        let index = SymbolIndex(
            texts: interner.table, tokenCount: Int32(texts.count), byteSymbols: byteSymbols,
            singleByteTokens: singleByteTokens(interner), wholeWords: words, characterSymbols: [:],
            byteTokens: [], unknownID: nil
        )
        return (table, index)
    }

    /// SentencePiece merges two symbols when their concatenation is a token, best score first. Every
    /// symbol is a token or a single character, so the merges are every split of every token into
    /// two such parts.
    static func sentencePiece(texts: [[UInt8]], scores: [Float]?, unknownID: Int32?) -> (MergeTable, SymbolIndex) {
        var interner = Interner(texts: texts, extraCapacity: 1024)
        var table = MergeTable(capacity: texts.count * 4)
        for (id, text) in texts.enumerated() {
            let priority = -(scores?[id] ?? 0)
            text.withUnsafeBufferPointer { text in
                var split = Self.scalarLength(text, at: 0)
                while split < text.count {
                    let left = UnsafeBufferPointer(rebasing: text[..<split])
                    let right = UnsafeBufferPointer(rebasing: text[split...])
                    if let leftID = interner.symbol(left), let rightID = interner.symbol(right) {
                        table.addIfAbsent(leftID, rightID, priority: priority, result: Int32(id))
                    }
                    split += Self.scalarLength(text, at: split)
                }
            }
        }
        var characters: [UInt32: Int32] = [:]
        interner.table.forEach { key, id in
            let (codepoint, length) = DecodedText.decode(key, at: 0)
            if length == key.count { characters[codepoint] = id }
        }
        let byteTokens: [Int32] = (0..<256).map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            let name = Array(("<0x" + (byte < 16 ? "0" : "") + hex + ">").utf8)
            if let id = interner.tokenID(name) { return id }
            return byte < 0x80 ? interner.tokenID([UInt8(byte)]) ?? -1 : -1
        }
        let index = SymbolIndex(
            texts: interner.table, tokenCount: Int32(texts.count), byteSymbols: [], singleByteTokens: [],
            wholeWords: nil, characterSymbols: characters, byteTokens: byteTokens, unknownID: unknownID
        )
        return (table, index)
    }

    private static func singleByteTokens(_ interner: Interner) -> [Int32] {
        (0..<256).map { byte in byte < 0x80 ? interner.tokenID([UInt8(byte)]) ?? -1 : -1 }
    }

    /// Bytes in the UTF-8 sequence starting at `index` (llama.cpp reads only the lead byte).
    private static func scalarLength(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lookup = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4]
        return min(lookup[Int(text[index] >> 4)], text.count - index)
    }
}

/// Gives every string an id: a token's own id, or a fresh one past the vocabulary.
private struct Interner {
    var table: ByteStringTable
    private let count: Int32
    private var next: Int32

    init(texts: [[UInt8]], extraCapacity: Int) {
        var table = ByteStringTable(capacity: texts.count + extraCapacity)
        // A later duplicate wins, as in llama.cpp's map.
        for (id, text) in texts.enumerated() {
            text.withUnsafeBufferPointer { table.set(Int32(id), for: $0) }
        }
        self.table = table
        count = Int32(texts.count)
        next = count
    }

    mutating func id(_ text: UnsafeBufferPointer<UInt8>) -> Int32 {
        table.value(for: text) {
            defer { next += 1 }
            return next
        }
    }

    func tokenID(_ text: [UInt8]) -> Int32? {
        table.value(for: text).flatMap { $0 < count ? $0 : nil }
    }

    /// SentencePiece: a token, or a single character (interned), or nil.
    mutating func symbol(_ text: UnsafeBufferPointer<UInt8>) -> Int32? {
        if let id = table.value(for: text) { return id }
        let (_, length) = DecodedText.decode(text, at: 0)
        return length == text.count ? id(text) : nil
    }
}
