import ParleyInference
import Testing

/// Decoding what was encoded gives the text back, wherever llama.cpp's decoding does.
@Suite struct TokenizerRoundTripTests {
    @Test(arguments: TokenizerFixtures.names)
    func decodingUndoesEncoding(vocabulary name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        let expected = try TokenizerFixtures.expectations(name)
        let corpus = try TokenizerFixtures.corpus()
        var checked = 0
        for (text, expectedCase) in zip(corpus, expected.cases) where expectedCase.decoded == text {
            #expect(tokenizer.decode(tokenizer.encode(text, addSpecial: false, parseSpecial: true)) == text)
            checked += 1
        }
        // Most of the corpus round-trips; the rest hides control tokens or tidies spaces, as in llama.cpp.
        #expect(checked >= corpus.count * 9 / 10, "only \(checked) of \(corpus.count) strings round-trip")
    }

    @Test func specialTokensRoundTripWhenRendered() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("smollm")
        let text = "<|im_start|>user\nHello 👋<|im_end|>\n<|im_start|>assistant\n"
        let ids = tokenizer.encode(text, addSpecial: false, parseSpecial: true)
        #expect(ids.first == 1)
        #expect(tokenizer.decode(ids, renderSpecial: true) == text)
        #expect(tokenizer.decode(ids) == "user\nHello 👋\nassistant\n")
    }
}
