import Foundation

/// A sentence-transformers style text encoder (a BERT model such as all-MiniLM-L6-v2) run by the
/// engine's own kernels: WordPiece tokens, the encoder, mean pooling over the tokens, L2
/// normalisation. Thread-safe: callers may encode at once; batches take turns on the compute pool.
public final class SentenceEncoder: @unchecked Sendable {
    private let tokenizer: WordPieceTokenizer
    private let encoder: BertEncoder
    private let lock = NSLock()
    /// Tokens computed together at most (the batch's working memory is ~15 KiB a token).
    private let tokensPerBatch = 2048

    /// The length of every embedding.
    public var dimensions: Int { encoder.configuration.hiddenSize }
    /// Tokens the model reads of a text, [CLS] and [SEP] included; the rest is cut off.
    public let maxTokens: Int

    private init(tokenizer: WordPieceTokenizer, encoder: BertEncoder, maxTokens: Int) {
        self.tokenizer = tokenizer
        self.encoder = encoder
        self.maxTokens = maxTokens
    }

    /// Loads the model in `directory` (`model.safetensors`, `vocab.txt`, `config.json`, and optionally
    /// `sentence_bert_config.json` and `tokenizer_config.json`) with its own compute threads.
    public static func load(directory: URL) throws -> SentenceEncoder {
        try load(directory: directory, pool: ComputePool())
    }

    /// Loads the model in `directory`, computing on `pool`.
    /// - Throws: `EmbeddingModelError` when a file is missing, corrupt or describes an unsupported model.
    public static func load(directory: URL, pool: ComputePool) throws -> SentenceEncoder {
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let configuration = try BertConfiguration(file: path("config.json"))
        let tokenizerOptions = Self.jsonObject(path("tokenizer_config.json"))
        let lowercase = (tokenizerOptions?["do_lower_case"] as? Bool) ?? true
        let tokenizer = try WordPieceTokenizer(vocabularyFile: path("vocab.txt"), lowercase: lowercase)
        guard tokenizer.count <= configuration.vocabularySize else {
            throw EmbeddingModelError.corrupt(
                path("vocab.txt"),
                "\(tokenizer.count) pieces, but the model has embeddings for \(configuration.vocabularySize)")
        }
        let sentenceOptions = Self.jsonObject(path("sentence_bert_config.json"))
        let maxTokens = min((sentenceOptions?["max_seq_length"] as? Int) ?? 512, configuration.maxPositions)
        guard maxTokens >= 3 else {
            throw EmbeddingModelError.corrupt(path("sentence_bert_config.json"), "max_seq_length \(maxTokens)")
        }
        let file = try SafetensorsFile(path: path("model.safetensors"))
        let weights = try BertWeights(file: file, configuration: configuration)
        let encoder = BertEncoder(configuration: configuration, weights: weights, pool: pool)
        return SentenceEncoder(tokenizer: tokenizer, encoder: encoder, maxTokens: maxTokens)
    }

    private static func jsonObject(_ path: String) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// Word pieces of `text`, without [CLS] and [SEP] and before truncation (for token-aware chunking:
    /// a chunk of at most `maxTokens - 2` pieces is read whole).
    public func tokenCount(_ text: String) -> Int {
        tokenizer.pieces(text).count
    }

    /// The token ids the model reads for `text`: [CLS], the pieces cut to fit `maxTokens`, [SEP].
    public func tokenIDs(_ text: String) -> [Int32] {
        tokenizer.encode(text, maxTokens: maxTokens)
    }

    /// L2-normalised embeddings of `texts`, in order. Texts are sorted by length and computed in
    /// batches of similar lengths.
    public func encode(_ texts: [String]) throws -> [[Float]] {
        let sequences = texts.map(tokenIDs)
        let order = sequences.indices.sorted { sequences[$0].count > sequences[$1].count }
        var results = [[Float]](repeating: [], count: texts.count)
        var start = 0
        while start < order.count {
            var end = start
            var tokens = 0
            while end < order.count, end == start || tokens + sequences[order[end]].count <= tokensPerBatch {
                tokens += sequences[order[end]].count
                end += 1
            }
            let batch = order[start..<end].map { sequences[$0] }
            let vectors = lock.withLock { encoder.embed(batch) }
            for (offset, vector) in vectors.enumerated() { results[order[start + offset]] = vector }
            start = end
        }
        return results
    }
}
