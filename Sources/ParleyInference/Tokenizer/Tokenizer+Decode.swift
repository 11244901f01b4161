extension Tokenizer {
    /// The bytes a token stands for. A piece may be part of a UTF-8 character; use
    /// `StreamingDetokenizer` to turn a stream of tokens into text.
    /// - Parameter renderSpecial: give control tokens their text (`<|im_end|>`) instead of nothing.
    public func piece(of id: Int32, renderSpecial: Bool = false) -> [UInt8] {
        Array(pieceBytes(id, renderSpecial: renderSpecial))
    }

    @inline(__always)
    func pieceBytes(_ id: Int32, renderSpecial: Bool) -> ArraySlice<UInt8> {
        guard isValid(id) else { return [] }
        if !renderSpecial && attributes[Int(id)].rawValue & TokenAttributes.hiddenUnlessRendered.rawValue != 0 {
            return []
        }
        return pieces[Int(id)]
    }

    /// What llama.cpp's `token_to_piece` gives with `special` set.
    static func renderedPiece(_ text: [UInt8], _ attribute: TokenAttributes, _ algorithm: Algorithm) -> [UInt8] {
        if !attribute.isDisjoint(with: [.control, .unknown, .userDefined]) { return text }
        if attribute.contains(.normal) {
            switch algorithm {
            case .bytePair: return byteLevelPiece(text)
            case .sentencePiece: return unescapingSpaces(text)
            }
        }
        if attribute.contains(.byte) {
            // "<0xXX>"
            guard text.count >= 5, let byte = UInt8(String(decoding: text[3..<5], as: UTF8.self), radix: 16) else {
                return [0]
            }
            return [byte]
        }
        return []
    }

    /// The text of a sequence of tokens, as llama.cpp's `llama_detokenize` gives it: the leading
    /// space SentencePiece adds is removed, and some vocabularies tidy spaces before punctuation.
    /// Bytes that are not valid UTF-8 (a sequence cut mid-character) read as U+FFFD.
    /// - Parameters:
    ///   - removeSpecial: drop the BOS / EOS that `encode(_:addSpecial: true, ...)` adds.
    ///   - renderSpecial: give control tokens their text instead of nothing.
    public func decode(_ ids: [Int32], removeSpecial: Bool = false, renderSpecial: Bool = false) -> String {
        var ids = ids[...]
        var removeSpace = addSpacePrefix
        if removeSpecial && addsBOS, let first = ids.first, first == bosTokenID {
            removeSpace = false
            ids = ids.dropFirst()
        }
        if removeSpecial && addsEOS, let last = ids.last, last == eosTokenID {
            ids = ids.dropLast()
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids {
            let piece = pieceBytes(id, renderSpecial: renderSpecial)
            bytes.append(contentsOf: removeSpace && piece.first == 0x20 ? piece.dropFirst() : piece)
            removeSpace = false
        }
        if cleansSpaces { Self.cleanSpaces(&bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func byteLevelPiece(_ text: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        let text = String(decoding: text, as: UTF8.self)
        for scalar in text.unicodeScalars {
            if let byte = ByteLevelEncoding.byte(for: scalar) {
                bytes.append(byte)
            } else {
                // llama.cpp's marker for a character outside the byte map.
                let hex = String(scalar).utf8.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
                bytes.append(contentsOf: Array("[UNK_BYTE_0x\(hex)\(text)]".utf8))
            }
        }
        return bytes
    }

    private static func unescapingSpaces(_ text: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if index + 2 < text.count && text[index] == 0xE2 && text[index + 1] == 0x96 && text[index + 2] == 0x81 {
                result.append(0x20)
                index += 3
            } else {
                result.append(text[index])
                index += 1
            }
        }
        return result
    }

    /// Hugging Face's `clean_up_tokenization_spaces`, exactly as llama.cpp applies it (in place, in
    /// three passes): " ?" " !" " ." " ," lose the space, " ' " loses both, " 's" " 'm" " 're" " 've"
    /// lose it.
    static func cleanSpaces(_ text: inout [UInt8]) {
        let space = UInt8(ascii: " ")
        let quote = UInt8(ascii: "'")
        var total = text.count
        // Pass 1.
        var count = total
        total = count > 0 ? 1 : 0
        var index = 1
        while index < count {
            let byte = text[index]
            if text[index - 1] == space
                && [UInt8(ascii: "?"), UInt8(ascii: "!"), UInt8(ascii: "."), UInt8(ascii: ",")].contains(byte)
            {
                total -= 1
            }
            text[total] = byte
            total += 1
            index += 1
        }
        // Pass 2.
        count = total
        total = count > 0 ? 1 : 0
        index = 1
        while index < count {
            let byte = text[index]
            if byte == quote && index + 1 < count && text[index - 1] == space && text[index + 1] == space {
                total -= 1
                index += 1
                text[index] = 0
            }
            text[total] = byte
            total += 1
            index += 1
        }
        // Pass 3.
        count = total
        total = count > 0 ? 1 : 0
        index = 1
        while index < count {
            let byte = text[index]
            if text[index - 1] == space && byte == quote && index + 1 < count {
                let next = text[index + 1]
                if next == UInt8(ascii: "s") || next == UInt8(ascii: "m") {
                    total -= 1
                } else if next != UInt8(ascii: "t") && next != UInt8(ascii: "d") && index + 2 < count {
                    let after = text[index + 2]
                    if (next == UInt8(ascii: "r") || next == UInt8(ascii: "v")) && after == UInt8(ascii: "e") {
                        total -= 1
                    }
                }
            }
            text[total] = byte
            total += 1
            index += 1
        }
        text.removeLast(text.count - total)
    }
}
