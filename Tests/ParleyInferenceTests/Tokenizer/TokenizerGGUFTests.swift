import ParleyInference
import Testing

/// Building tokenizers from GGUF metadata.
@Suite struct TokenizerGGUFTests {
    @Test func theDefaultModelHasSmolLMsTokenizer() throws {
        let tokenizer = try Tokenizer(gguf: TestModel.file())
        #expect(tokenizer.modelName == "gpt2")
        #expect(tokenizer.preTokenizerName == "smollm")
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.id(ofText: "<|im_end|>") == 2)
        #expect(tokenizer.eosTokenID == 2)
        #expect(tokenizer.isEndOfGeneration(2))  // <|im_end|>
        #expect(tokenizer.isEndOfGeneration(0))  // <|endoftext|>
        #expect(!tokenizer.isEndOfGeneration(1))  // <|im_start|>
        #expect(!tokenizer.addsBOS)
        #expect(tokenizer.encode("Hello world", addSpecial: true, parseSpecial: false) == [19556, 905])
    }

    @Test func everyTokenizerKeyIsRead() throws {
        var builder = GGUFBuilder()
        builder.metadata = [
            ("tokenizer.ggml.model", .string("gpt2")),
            ("tokenizer.ggml.pre", .string("qwen2")),
            ("tokenizer.ggml.tokens", .array(["a", "b", "ab", "<s>", "</s>"].map { .string($0) })),
            ("tokenizer.ggml.token_type", .array([1, 1, 1, 3, 3].map { .int32($0) })),
            ("tokenizer.ggml.merges", .array([.string("a b")])),
            ("tokenizer.ggml.bos_token_id", .uint32(3)),
            ("tokenizer.ggml.eos_token_id", .uint32(4)),
            ("tokenizer.ggml.add_bos_token", .bool(true)),
            ("tokenizer.ggml.add_eos_token", .bool(true)),
        ]
        let directory = try TemporaryDirectory()
        let path = directory.path("vocab.gguf")
        try builder.write(to: path)
        let vocabulary = try Vocabulary(gguf: GGUFFile(path: path))
        #expect(vocabulary.preTokenizer == "qwen2")
        #expect(vocabulary.tokenTypes == [.normal, .normal, .normal, .control, .control])
        #expect(vocabulary.specialTokenIDs == [.bos: 3, .eos: 4])
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        #expect(tokenizer.encode("ab", addSpecial: true, parseSpecial: false) == [3, 2, 4])
        #expect(tokenizer.isEndOfGeneration(4))
    }

    @Test func aFileWithoutTokensIsAClearError() throws {
        var builder = GGUFBuilder()
        builder.metadata = [("tokenizer.ggml.model", .string("gpt2"))]
        let directory = try TemporaryDirectory()
        let path = directory.path("empty.gguf")
        try builder.write(to: path)
        #expect {
            try Tokenizer(gguf: GGUFFile(path: path))
        } throws: { error in
            (error as? TokenizerError)?.description.contains("tokenizer.ggml.tokens") == true
        }
    }
}
