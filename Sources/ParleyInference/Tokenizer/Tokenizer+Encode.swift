extension Tokenizer {
    /// The token ids of `text`.
    /// - Parameters:
    ///   - addSpecial: put BOS / EOS around the ids when the vocabulary asks for them (`addsBOS`,
    ///     `addsEOS`); false for text that continues a sequence.
    ///   - parseSpecial: read control tokens written in the text (`<|im_start|>`) as those tokens.
    ///     Chat templates need it; user text should not get it. User-defined tokens are always read.
    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32] {
        let bytes = Array(text.utf8)
        let fragments = splitter.split(bytes, parseSpecial: parseSpecial)
        var output: [Int32] = []
        output.reserveCapacity(bytes.count / 3 + 4)
        if addSpecial && addsBOS, let bos = bosTokenID { output.append(bos) }
        switch algorithm {
        case .bytePair(let preTokenizer):
            for fragment in fragments {
                switch fragment {
                case .token(let id): output.append(id)
                case .text(let range): encodeBytePair(bytes[range], preTokenizer, into: &output)
                }
            }
        case .sentencePiece:
            // SentencePiece marks word starts with a space, so text at the start or after a special
            // token gets one (llama.cpp's behaviour, also after parsed special tokens).
            var afterSpecial = true
            for fragment in fragments {
                switch fragment {
                case .token(let id):
                    output.append(id)
                    afterSpecial = true
                case .text(let range):
                    encodeSentencePiece(bytes[range], spacePrefix: addSpacePrefix && afterSpecial, into: &output)
                    afterSpecial = false
                }
            }
        }
        if addSpecial && addsEOS, let eos = eosTokenID { output.append(eos) }
        return output
    }

    private func encodeBytePair(_ text: ArraySlice<UInt8>, _ preTokenizer: PreTokenizer, into output: inout [Int32]) {
        let decoded = DecodedText(text)
        let words = decoded.codepoints.withUnsafeBufferPointer { codepoints in
            decoded.flags.withUnsafeBufferPointer { flags in preTokenizer.split(codepoints, flags) }
        }
        let base = text.startIndex
        for word in words {
            let start = base + decoded.byteOffsets[word.lowerBound]
            let end = base + decoded.byteOffsets[word.upperBound]
            encodeWord(text[start..<end], into: &output)
        }
    }

    private func encodeWord(_ word: ArraySlice<UInt8>, into output: inout [Int32]) {
        let key = ByteString(word)
        if let cached = cache.ids(for: key) {
            output.append(contentsOf: cached)
            return
        }
        var ids: [Int32] = []
        if let whole = symbols.wholeWords?.value(for: key.bytes) {
            ids.append(whole)
        } else {
            let initial = word.map { SymbolMerger.Symbol(id: symbols.byteSymbols[Int($0)], length: 1) }
            var offset = word.startIndex
            for symbol in SymbolMerger.merge(initial, table: mergeTable) {
                let length = Int(symbol.length)
                if isValid(symbol.id) {
                    ids.append(symbol.id)
                } else {
                    // Not a token: llama.cpp tries each byte of the symbol's encoded text on its own.
                    for byte in word[offset..<(offset + length)] {
                        for encoded in ByteLevelEncoding.utf8ForByte[Int(byte)]
                        where symbols.singleByteTokens[Int(encoded)] >= 0 {
                            ids.append(symbols.singleByteTokens[Int(encoded)])
                        }
                    }
                }
                offset += length
            }
        }
        cache.store(ids, for: key)
        output.append(contentsOf: ids)
    }

    private func encodeSentencePiece(_ fragment: ArraySlice<UInt8>, spacePrefix: Bool, into output: inout [Int32]) {
        // Spaces are written "▁" (U+2581) in the vocabulary.
        var text: [UInt8] = []
        text.reserveCapacity(fragment.count + 8)
        if spacePrefix { text.append(contentsOf: [0xE2, 0x96, 0x81]) }
        for byte in fragment {
            if byte == 0x20 { text.append(contentsOf: [0xE2, 0x96, 0x81]) } else { text.append(byte) }
        }
        let decoded = DecodedText(text[...])
        var initial: [SymbolMerger.Symbol] = []
        initial.reserveCapacity(decoded.codepoints.count)
        for (index, codepoint) in decoded.codepoints.enumerated() {
            let length = decoded.byteOffsets[index + 1] - decoded.byteOffsets[index]
            initial.append(
                .init(id: symbols.characterSymbols[codepoint] ?? SymbolIndex.unmergeable, length: Int32(length)))
        }
        var offset = 0
        for symbol in SymbolMerger.merge(initial, table: mergeTable) {
            let length = Int(symbol.length)
            if isValid(symbol.id) {
                output.append(symbol.id)
            } else {
                // Byte fallback: <0xXX> tokens for a character the vocabulary lacks.
                for byte in text[offset..<(offset + length)] {
                    let id = symbols.byteTokens[Int(byte)]
                    if id >= 0 {
                        output.append(id)
                    } else if let unknown = symbols.unknownID {
                        output.append(unknown)
                    }
                }
            }
            offset += length
        }
    }
}
