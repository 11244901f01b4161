/// The shape of a Llama-family model, read from GGUF metadata (`llama.*` keys).
struct LlamaHyperparameters: Sendable, Hashable {
    var embedding: Int
    var layers: Int
    var feedForward: Int
    var heads: Int
    var kvHeads: Int
    var headSize: Int
    var ropeDimensions: Int
    var ropeBase: Float
    var rmsEpsilon: Float
    var contextLength: Int

    var kvDimension: Int { kvHeads * headSize }
    var queryDimension: Int { heads * headSize }

    init(file: GGUFFile, architecture: String = "llama") throws(ModelLoadingError) {
        func int(_ key: String) throws(ModelLoadingError) -> Int {
            guard let value = file.metadata["\(architecture).\(key)"]?.int, value > 0 else {
                throw .missingMetadata("\(architecture).\(key)", file: file.path)
            }
            return value
        }
        func optionalInt(_ key: String) -> Int? { file.metadata["\(architecture).\(key)"]?.int }
        func optionalFloat(_ key: String) -> Float? { file.metadata["\(architecture).\(key)"]?.double.map(Float.init) }

        embedding = try int("embedding_length")
        layers = try int("block_count")
        feedForward = try int("feed_forward_length")
        heads = try int("attention.head_count")
        kvHeads = optionalInt("attention.head_count_kv") ?? heads
        guard kvHeads > 0, heads % kvHeads == 0 else {
            throw .missingMetadata("\(architecture).attention.head_count_kv (must divide head_count)", file: file.path)
        }
        headSize = optionalInt("attention.key_length") ?? embedding / heads
        ropeDimensions = optionalInt("rope.dimension_count") ?? headSize
        guard ropeDimensions > 0, ropeDimensions <= headSize, ropeDimensions % 2 == 0 else {
            throw .missingMetadata("\(architecture).rope.dimension_count", file: file.path)
        }
        ropeBase = optionalFloat("rope.freq_base") ?? 10_000
        rmsEpsilon = optionalFloat("attention.layer_norm_rms_epsilon") ?? 1e-5
        contextLength = optionalInt("context_length") ?? 2048
    }
}
