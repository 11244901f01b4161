/// How byte-level BPE text is cut into words before merging, and the settings llama.cpp ties to each
/// pre-tokenizer name (`tokenizer.ggml.pre`).
struct PreTokenizer: Sendable, Hashable {
    /// The splitting rules; several names share one.
    enum Rules: Sendable, Hashable {
        /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
        case gpt2
        /// Case-insensitive contractions, `[^\r\n\p{L}\p{N}]?\p{L}+`, numbers in groups of up to three,
        /// punctuation runs that take trailing newlines, `\s*[\r\n]+`, then the GPT-2 white space rules.
        case llama3
        /// As `llama3`, but every digit is a word of its own.
        case qwen2
        /// Every `\p{N}` alone, then `gpt2` (StarCoder's split; SmolLM uses it).
        case isolatedDigitsThenGPT2
        /// llama.cpp's fallback: punctuation runs, `gpt2`, number runs, then ASCII digit triples.
        case fallback
    }

    let name: String
    let rules: Rules
    /// Whether detokenizing tidies " ." and " 's" the way Hugging Face's
    /// `clean_up_tokenization_spaces` does.
    let cleansSpaces: Bool
    /// Whether a word that is itself a token skips merging (llama 3's tokenizer.json says so).
    let ignoresMerges: Bool
    /// Whether BOS is added when the file does not say (`add_bos_token` absent).
    let addsBOSByDefault: Bool

    /// The pre-tokenizer with this name; a missing name is llama.cpp's `default`.
    static func named(_ name: String?) -> PreTokenizer? {
        guard let name, !name.isEmpty else { return table["default"] }
        return table[name]
    }

    static var supportedNames: [String] { table.keys.sorted() }

    private static let table: [String: PreTokenizer] = {
        var table: [String: PreTokenizer] = [:]
        func add(_ names: [String], _ rules: Rules, cleansSpaces: Bool = true, llama3Flags: Bool = false) {
            for name in names {
                table[name] = PreTokenizer(
                    name: name, rules: rules, cleansSpaces: cleansSpaces,
                    ignoresMerges: llama3Flags, addsBOSByDefault: llama3Flags
                )
            }
        }
        // Grouped as llama.cpp's llama-vocab.cpp groups them.
        add(["default"], .fallback)
        add(
            ["llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2"],
            .llama3, llama3Flags: true)
        add(["gpt-2", "phi-2", "mpt", "olmo", "exaone4", "gigachat", "a.x-4.0", "mellum", "jais"], .gpt2)
        add(["trillion", "granite-docling"], .gpt2, cleansSpaces: false)
        add(["starcoder", "refact", "codeshell", "exaone", "minerva-7b", "mellum2"], .isolatedDigitsThenGPT2)
        add(["smollm", "command-r"], .isolatedDigitsThenGPT2, cleansSpaces: false)
        add(["qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "hunyuan"], .qwen2, cleansSpaces: false)
        add(["stablelm2", "megrez"], .qwen2)
        return table
    }()
}
