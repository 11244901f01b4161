import ParleyInference
import Testing

/// Streaming text out of generated tokens: never a broken character, nothing lost.
@Suite struct StreamingDetokenizerTests {
    @Test func aCharacterSplitOverByteTokensIsHeldUntilComplete() throws {
        let tokenizer = try Tokenizer(vocabulary: SyntheticVocabularies.sentencePiece([("▁", -1), ("a", -2)]))
        let ids = tokenizer.encode("a😀", addSpecial: false, parseSpecial: false)
        #expect(tokenizer.texts(ids) == ["▁", "a", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>"])
        var stream = tokenizer.makeStreamingDetokenizer()
        #expect(ids.map { stream.append($0) } == [" ", "a", "", "", "", "😀"])
        #expect(stream.finish() == "")
    }

    @Test func anUnfinishedCharacterAtTheEndReadsAsReplacement() throws {
        let tokenizer = try Tokenizer(vocabulary: SyntheticVocabularies.sentencePiece([("▁", -1)]))
        let ids = tokenizer.encode("😀", addSpecial: false, parseSpecial: false)
        var stream = tokenizer.makeStreamingDetokenizer()
        for id in ids.dropLast() { #expect(stream.append(id) == (id == ids.first ? " " : "")) }
        #expect(stream.finish() == "\u{FFFD}")
    }

    @Test(arguments: ["smollm", "qwen2", "llama-bpe"])
    func streamingGivesBackTheText(vocabulary name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        var broken = 0
        for text in try TokenizerFixtures.corpus() {
            let ids = tokenizer.encode(text, addSpecial: false, parseSpecial: false)
            var stream = tokenizer.makeStreamingDetokenizer()
            var chunks = ids.map { stream.append($0) }
            chunks.append(stream.finish())
            if chunks.contains(where: { $0.unicodeScalars.contains("\u{FFFD}") }) && !text.contains("\u{FFFD}") {
                broken += 1
            }
            #expect(chunks.joined() == text, "\(text.debugDescription)")
        }
        #expect(broken == 0)
    }
}
