import ParleyInference

/// Small hand-made vocabularies whose expected tokenizations can be worked out by hand.
enum SyntheticVocabularies {
    /// A byte-level BPE vocabulary: the 256 byte characters, then `words` (each with the merge that
    /// builds it from its two halves, ranked in order), then `specials`.
    static func bytePair(
        merges: [String],
        specials: [(String, TokenType)] = [],
        preTokenizer: String = "gpt-2",
        addBOS: Bool? = nil,
        addEOS: Bool? = nil
    ) -> Vocabulary {
        var tokens = (0..<256).map { byteCharacter(UInt8($0)) }
        for rule in merges {
            let merged = rule.replacingOccurrences(of: " ", with: "")
            if !tokens.contains(merged) { tokens.append(merged) }
        }
        var types = [TokenType](repeating: .normal, count: tokens.count)
        var ids: [Vocabulary.SpecialToken: Int32] = [:]
        for (text, type) in specials {
            if text == "<bos>" { ids[.bos] = Int32(tokens.count) }
            if text == "<eos>" { ids[.eos] = Int32(tokens.count) }
            tokens.append(text)
            types.append(type)
        }
        return Vocabulary(
            model: "gpt2", preTokenizer: preTokenizer, tokens: tokens, tokenTypes: types, merges: merges,
            specialTokenIDs: ids, addBOS: addBOS, addEOS: addEOS
        )
    }

    /// GPT-2's printable stand-in for a byte ("Ġ" for a space).
    static func byteCharacter(_ byte: UInt8) -> String {
        let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
        if printable { return String(UnicodeScalar(byte)) }
        let index = (0..<byte).filter {
            !((0x21...0x7E).contains($0) || (0xA1...0xAC).contains($0) || (0xAE...0xFF).contains($0))
        }.count
        return String(UnicodeScalar(UInt32(0x100 + index))!)
    }

    /// A SentencePiece vocabulary: <unk>, <s>, </s>, the 256 byte tokens, then `pieces` with scores.
    static func sentencePiece(_ pieces: [(String, Float)]) -> Vocabulary {
        var tokens = ["<unk>", "<s>", "</s>"]
        var types: [TokenType] = [.unknown, .control, .control]
        for byte in 0..<256 {
            tokens.append("<0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true) + ">")
            types.append(.byte)
        }
        var scores = [Float](repeating: 0, count: tokens.count)
        for (piece, score) in pieces {
            tokens.append(piece)
            types.append(.normal)
            scores.append(score)
        }
        return Vocabulary(
            model: "llama", preTokenizer: "default", tokens: tokens, tokenTypes: types, scores: scores,
            specialTokenIDs: [.bos: 1, .eos: 2, .unknown: 0], addBOS: true, addEOS: false
        )
    }
}

extension Tokenizer {
    /// The vocabulary texts of `ids`, for readable expectations.
    func texts(_ ids: [Int32]) -> [String] { ids.map { text(of: $0) ?? "?" } }
}
