import Foundation

/// The hyperparameters of a BERT encoder, from the model's `config.json`.
struct BertConfiguration: Sendable, Equatable {
    var vocabularySize: Int
    var hiddenSize: Int
    var layerCount: Int
    var headCount: Int
    var intermediateSize: Int
    var maxPositions: Int
    var typeVocabularySize: Int
    var layerNormEpsilon: Float

    var headSize: Int { hiddenSize / headCount }

    init(file path: String) throws(EmbeddingModelError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .missingFile(path) }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .corrupt(path, "not a JSON object")
        }
        func integer(_ key: String, default fallback: Int? = nil) throws(EmbeddingModelError) -> Int {
            if let value = object[key] as? Int, value > 0 { return value }
            if object[key] == nil, let fallback { return fallback }
            throw .corrupt(path, "\(key) is missing or not a positive integer")
        }
        if let type = object["model_type"] as? String, type != "bert" {
            throw .unsupported(path, "model_type \(type) (only bert encoders are supported)")
        }
        if let activation = object["hidden_act"] as? String, activation != "gelu" {
            throw .unsupported(path, "hidden_act \(activation) (only gelu is supported)")
        }
        if let embedding = object["position_embedding_type"] as? String, embedding != "absolute" {
            throw .unsupported(path, "position_embedding_type \(embedding) (only absolute is supported)")
        }
        vocabularySize = try integer("vocab_size")
        hiddenSize = try integer("hidden_size")
        layerCount = try integer("num_hidden_layers")
        headCount = try integer("num_attention_heads")
        intermediateSize = try integer("intermediate_size")
        maxPositions = try integer("max_position_embeddings", default: 512)
        typeVocabularySize = try integer("type_vocab_size", default: 2)
        layerNormEpsilon = Float((object["layer_norm_eps"] as? Double) ?? 1e-12)
        guard hiddenSize % headCount == 0, hiddenSize / headCount <= 512 else {
            throw .unsupported(path, "hidden_size \(hiddenSize) with \(headCount) heads")
        }
    }
}
