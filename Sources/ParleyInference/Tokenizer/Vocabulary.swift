/// A tokenizer's vocabulary as a GGUF file describes it (`tokenizer.ggml.*`), before any of
/// llama.cpp's defaults or corrections are applied; `Tokenizer` applies them.
public struct Vocabulary: Sendable, Hashable {
    /// `tokenizer.ggml.model`: "gpt2" (byte-level BPE) or "llama" (SentencePiece); others are rejected
    /// by `Tokenizer`.
    public var model: String
    /// `tokenizer.ggml.pre`, the byte-level BPE pre-tokenizer ("smollm", "llama-bpe", ...); nil when absent.
    public var preTokenizer: String?
    /// Token texts, indexed by id.
    public var tokens: [String]
    /// One per token; nil when the file has none (every token is then normal).
    public var tokenTypes: [TokenType]?
    /// One per token; SentencePiece merges by score. Nil when absent.
    public var scores: [Float]?
    /// Byte-level BPE merges, "left right", by rank (first is merged first).
    public var merges: [String]
    /// Ids of special tokens the file names; absent ones take llama.cpp's defaults for the model.
    public var specialTokenIDs: [SpecialToken: Int32]
    /// `tokenizer.ggml.add_bos_token`, `add_eos_token`, `add_space_prefix`; nil when absent.
    public var addBOS: Bool?
    public var addEOS: Bool?
    public var addSpacePrefix: Bool?

    public init(
        model: String,
        preTokenizer: String? = nil,
        tokens: [String],
        tokenTypes: [TokenType]? = nil,
        scores: [Float]? = nil,
        merges: [String] = [],
        specialTokenIDs: [SpecialToken: Int32] = [:],
        addBOS: Bool? = nil,
        addEOS: Bool? = nil,
        addSpacePrefix: Bool? = nil
    ) {
        self.model = model
        self.preTokenizer = preTokenizer
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.scores = scores
        self.merges = merges
        self.specialTokenIDs = specialTokenIDs
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix
    }

    /// A special token role, with the GGUF key that names its id.
    public enum SpecialToken: String, Sendable, Hashable, CaseIterable {
        case bos = "bos_token_id"
        case eos = "eos_token_id"
        /// End of turn (`<|eot_id|>`, `<|im_end|>`).
        case eot = "eot_token_id"
        /// End of message (`<|eom_id|>`).
        case eom = "eom_token_id"
        case unknown = "unknown_token_id"
        case separator = "seperator_token_id"  // sic: the key is spelled so in GGUF files
        case padding = "padding_token_id"
        case fimPrefix = "fim_pre_token_id"
        case fimSuffix = "fim_suf_token_id"
        case fimMiddle = "fim_mid_token_id"
        case fimPad = "fim_pad_token_id"
        case fimRepository = "fim_rep_token_id"
        case fimSeparator = "fim_sep_token_id"

        /// The full metadata key, `tokenizer.ggml.<raw value>`.
        public var metadataKey: String { "tokenizer.ggml." + rawValue }
    }
}
