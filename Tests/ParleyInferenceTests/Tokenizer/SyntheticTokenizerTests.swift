import ParleyInference
import Testing

/// Merging, special tokens and byte fallback on vocabularies small enough to check by hand.
@Suite struct SyntheticTokenizerTests {
    @Test func lowerRankedMergesApplyFirst() throws {
        let tokenizer = try Tokenizer(
            vocabulary: SyntheticVocabularies.bytePair(merges: ["b c", "a b", "h e", "he llo", "l l", "l lo", "l o"]))
        #expect(tokenizer.texts(tokenizer.encode("abc", addSpecial: false, parseSpecial: false)) == ["a", "bc"])
        // "l l" outranks "l o", so "hello" becomes he + ll + o, and "he llo" never applies.
        #expect(
            tokenizer.texts(tokenizer.encode("hello", addSpecial: false, parseSpecial: false)) == ["he", "ll", "o"])
    }

    @Test func equalPairsMergeLeftmostFirst() throws {
        let tokenizer = try Tokenizer(vocabulary: SyntheticVocabularies.bytePair(merges: ["a a", "aa b"]))
        // Merging the right pair first would allow "aa b"; the left one goes first and blocks it.
        #expect(tokenizer.texts(tokenizer.encode("aaab", addSpecial: false, parseSpecial: false)) == ["aa", "a", "b"])
        #expect(tokenizer.texts(tokenizer.encode("aaaa", addSpecial: false, parseSpecial: false)) == ["aa", "aa"])
    }

    @Test func wordsNeverMergeAcrossThePreTokenizerSplit() throws {
        let tokenizer = try Tokenizer(vocabulary: SyntheticVocabularies.bytePair(merges: ["o Ġ", "Ġ w"]))
        // GPT-2 splits "o w" into "o" and " w" before merging, so "o Ġ" cannot apply.
        #expect(tokenizer.texts(tokenizer.encode("o w", addSpecial: false, parseSpecial: false)) == ["o", "Ġw"])
    }

    @Test func controlTokensAreOnlyReadWhenParsingSpecialTokens() throws {
        let tokenizer = try Tokenizer(
            vocabulary: SyntheticVocabularies.bytePair(
                merges: [], specials: [("<|end|>", .control), ("[TOOL]", .userDefined)]))
        let end = try #require(tokenizer.id(ofText: "<|end|>"))
        let tool = try #require(tokenizer.id(ofText: "[TOOL]"))
        #expect(tokenizer.encode("a<|end|>", addSpecial: false, parseSpecial: true).last == end)
        #expect(!tokenizer.encode("a<|end|>", addSpecial: false, parseSpecial: false).contains(end))
        // User-defined tokens are read either way.
        #expect(tokenizer.encode("x[TOOL]y", addSpecial: false, parseSpecial: false).contains(tool))
        // Control tokens render only on request.
        #expect(tokenizer.decode([end]) == "")
        #expect(tokenizer.decode([end], renderSpecial: true) == "<|end|>")
        #expect(tokenizer.decode([tool]) == "[TOOL]")
    }

    @Test func theLongestSpecialTokenWins() throws {
        let tokenizer = try Tokenizer(
            vocabulary: SyntheticVocabularies.bytePair(
                merges: [], specials: [("<x>", .control), ("<x><y>", .control), ("<y>", .control)]))
        let ids = tokenizer.encode("<x><y><x>", addSpecial: false, parseSpecial: true)
        #expect(tokenizer.texts(ids) == ["<x><y>", "<x>"])
    }

    @Test func addSpecialFollowsTheVocabularyFlags() throws {
        let specials: [(String, TokenType)] = [("<bos>", .control), ("<eos>", .control)]
        let plain = try Tokenizer(vocabulary: SyntheticVocabularies.bytePair(merges: [], specials: specials))
        #expect(plain.encode("a", addSpecial: true, parseSpecial: false).count == 1)
        let both = try Tokenizer(
            vocabulary: SyntheticVocabularies.bytePair(
                merges: [], specials: specials, addBOS: true, addEOS: true))
        #expect(both.texts(both.encode("a", addSpecial: true, parseSpecial: false)) == ["<bos>", "a", "<eos>"])
        #expect(both.texts(both.encode("a", addSpecial: false, parseSpecial: false)) == ["a"])
        #expect(both.decode(both.encode("a", addSpecial: true, parseSpecial: false), removeSpecial: true) == "a")
    }

    @Test func endOfGenerationIncludesChatMarkersTheFileCallsNormal() throws {
        let tokenizer = try Tokenizer(
            vocabulary: SyntheticVocabularies.bytePair(
                merges: [], specials: [("<eos>", .control), ("<|im_end|>", .normal), ("<|im_start|>", .control)]))
        let imEnd = try #require(tokenizer.id(ofText: "<|im_end|>"))
        #expect(tokenizer.isEndOfGeneration(imEnd))
        #expect(tokenizer.isEndOfGeneration(try #require(tokenizer.eosTokenID)))
        #expect(!tokenizer.isEndOfGeneration(try #require(tokenizer.id(ofText: "<|im_start|>"))))
        #expect(tokenizer.attributes(of: imEnd).contains(.control))
        #expect(tokenizer.id(of: .eot) == imEnd)
    }

    @Test func sentencePieceMergesByScoreAndPrefixesASpace() throws {
        let tokenizer = try Tokenizer(
            vocabulary: SyntheticVocabularies.sentencePiece([
                ("▁", -1), ("a", -2), ("b", -2), ("ab", -0.5), ("▁ab", -0.1), ("▁a", -3),
            ]))
        let ids = tokenizer.encode("ab", addSpecial: true, parseSpecial: false)
        #expect(tokenizer.texts(ids) == ["<s>", "▁ab"])
        #expect(tokenizer.decode(Array(ids.dropFirst())) == "ab")
        #expect(tokenizer.texts(tokenizer.encode("a ab", addSpecial: false, parseSpecial: false)) == ["▁a", "▁ab"])
    }

    @Test func sentencePieceFallsBackToByteTokens() throws {
        let tokenizer = try Tokenizer(vocabulary: SyntheticVocabularies.sentencePiece([("▁", -1), ("a", -2)]))
        let ids = tokenizer.encode("é", addSpecial: false, parseSpecial: false)
        #expect(tokenizer.texts(ids) == ["▁", "<0xC3>", "<0xA9>"])
        #expect(tokenizer.decode(ids) == "é")
    }

    @Test func unsupportedTokenizersAreRejectedByName() {
        #expect {
            try Tokenizer(vocabulary: Vocabulary(model: "bert", tokens: ["[CLS]"]))
        } throws: { error in
            let error = error as? TokenizerError
            return error?.isUnsupportedModel == true && error?.description.contains("'bert'") == true
        }
        #expect {
            try Tokenizer(vocabulary: Vocabulary(model: "gpt2", preTokenizer: "tekken", tokens: ["a"]))
        } throws: { error in
            let error = error as? TokenizerError
            return error?.isUnsupportedPreTokenizer == true && error?.description.contains("'tekken'") == true
        }
    }
}
