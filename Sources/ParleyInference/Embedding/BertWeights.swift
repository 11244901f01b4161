import CParleyKernels

/// The weights of a BERT encoder, read from safetensors and repacked once for the float kernels.
struct BertWeights: Sendable {
    struct Layer: Sendable {
        /// Query, key and value projections in one packed matrix (3 × hidden rows).
        var qkv: [Float]
        var attentionOutput: [Float]
        var attentionNorm: (gamma: [Float], beta: [Float])
        var intermediate: [Float]
        var output: [Float]
        var outputNorm: (gamma: [Float], beta: [Float])
    }

    var wordEmbeddings: [Float]
    var positionEmbeddings: [Float]
    /// Row 0 of the token type embeddings: a single sentence is all type 0.
    var tokenType: [Float]
    var embeddingNorm: (gamma: [Float], beta: [Float])
    var layers: [Layer]

    init(file: SafetensorsFile, configuration c: BertConfiguration) throws(EmbeddingModelError) {
        // Checkpoints saved from BertModel have no prefix; those saved from a task model have "bert.".
        let prefix = file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        func tensor(_ name: String, _ shape: [Int]) throws(EmbeddingModelError) -> [Float] {
            try file.floats(prefix + name, shape: shape)
        }
        func norm(_ name: String) throws(EmbeddingModelError) -> (gamma: [Float], beta: [Float]) {
            (try tensor(name + ".weight", [c.hiddenSize]), try tensor(name + ".bias", [c.hiddenSize]))
        }
        func linear(_ names: [String], outputs: Int, inputs: Int) throws(EmbeddingModelError) -> [Float] {
            var weights: [Float] = []
            var biases: [Float] = []
            for name in names {
                weights += try tensor(name + ".weight", [outputs, inputs])
                biases += try tensor(name + ".bias", [outputs])
            }
            let rows = outputs * names.count
            return [Float](unsafeUninitializedCapacity: pk_sgemm_packed_floats(rows, inputs)) { buffer, count in
                pk_sgemm_pack(weights, biases, rows, inputs, buffer.baseAddress!)
                count = buffer.count
            }
        }
        let h = c.hiddenSize
        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [c.vocabularySize, h])
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [c.maxPositions, h])
        tokenType = Array(try tensor("embeddings.token_type_embeddings.weight", [c.typeVocabularySize, h])[0..<h])
        embeddingNorm = try norm("embeddings.LayerNorm")
        layers = []
        for index in 0..<c.layerCount {
            let p = "encoder.layer.\(index)."
            layers.append(
                Layer(
                    qkv: try linear(
                        [p + "attention.self.query", p + "attention.self.key", p + "attention.self.value"],
                        outputs: h, inputs: h),
                    attentionOutput: try linear([p + "attention.output.dense"], outputs: h, inputs: h),
                    attentionNorm: try norm(p + "attention.output.LayerNorm"),
                    intermediate: try linear([p + "intermediate.dense"], outputs: c.intermediateSize, inputs: h),
                    output: try linear([p + "output.dense"], outputs: h, inputs: c.intermediateSize),
                    outputNorm: try norm(p + "output.LayerNorm")))
        }
    }
}
