extension Vocabulary {
    /// Reads the vocabulary from a GGUF file's `tokenizer.ggml.*` metadata.
    /// - Throws: `TokenizerError` when the tokens or the model name are missing or malformed.
    public init(gguf file: GGUFFile) throws(TokenizerError) {
        let metadata = file.metadata
        guard let model = metadata["tokenizer.ggml.model"]?.string else {
            throw .missingMetadata("tokenizer.ggml.model", "a string")
        }
        guard let tokens = metadata["tokenizer.ggml.tokens"]?.stringArray else {
            throw .missingMetadata("tokenizer.ggml.tokens", "an array of strings")
        }
        var tokenTypes: [TokenType]?
        if let value = metadata["tokenizer.ggml.token_type"] {
            guard let raw = value.intArray else {
                throw .invalidVocabulary("tokenizer.ggml.token_type is not an array of integers")
            }
            // Unknown codes read as undefined, as llama.cpp reads them.
            tokenTypes = raw.map { TokenType(rawValue: Int32(truncatingIfNeeded: $0)) ?? .undefined }
        }
        var scores: [Float]?
        if let value = metadata["tokenizer.ggml.scores"] {
            guard let raw = value.floatArray else {
                throw .invalidVocabulary("tokenizer.ggml.scores is not an array of numbers")
            }
            scores = raw
        }
        var merges: [String] = []
        if let value = metadata["tokenizer.ggml.merges"] {
            guard let raw = value.stringArray else {
                throw .invalidVocabulary("tokenizer.ggml.merges is not an array of strings")
            }
            merges = raw
        }
        var specialTokenIDs: [SpecialToken: Int32] = [:]
        for role in SpecialToken.allCases {
            if let id = metadata[role.metadataKey]?.int, let id32 = Int32(exactly: id) {
                specialTokenIDs[role] = id32
            }
        }
        self.init(
            model: model,
            preTokenizer: metadata["tokenizer.ggml.pre"]?.string,
            tokens: tokens,
            tokenTypes: tokenTypes,
            scores: scores,
            merges: merges,
            specialTokenIDs: specialTokenIDs,
            addBOS: metadata["tokenizer.ggml.add_bos_token"]?.bool,
            addEOS: metadata["tokenizer.ggml.add_eos_token"]?.bool,
            addSpacePrefix: metadata["tokenizer.ggml.add_space_prefix"]?.bool
        )
    }
}
