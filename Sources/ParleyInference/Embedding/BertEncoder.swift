import CParleyKernels

/// A BERT encoder's forward pass over a batch of token sequences, with mean pooling and L2
/// normalisation (the sentence-transformers recipe). The batch is packed: sequences of different
/// lengths sit one after another with no padding, and attention keeps each to its own tokens, which
/// is what an attention mask over a padded batch computes, without the wasted work.
final class BertEncoder: @unchecked Sendable {
    let configuration: BertConfiguration
    let weights: BertWeights
    let pool: ComputePool

    init(configuration: BertConfiguration, weights: BertWeights, pool: ComputePool) {
        self.configuration = configuration
        self.weights = weights
        self.pool = pool
    }

    /// Normalised mean-pooled embeddings of the sequences (each with its special tokens, none longer
    /// than the model's positions, every id inside the vocabulary). Not reentrant: callers serialise.
    func embed(_ sequences: [[Int32]]) -> [[Float]] {
        let c = configuration
        let h = c.hiddenSize
        let total = sequences.reduce(0) { $0 + $1.count }
        guard total > 0 else { return sequences.map { _ in [Float](repeating: 0, count: h) } }
        let longest = sequences.map(\.count).max() ?? 0
        var offsets: [Int32] = [0]
        for sequence in sequences { offsets.append(offsets.last! + Int32(sequence.count)) }

        let x = UnsafeMutablePointer<Float>.allocate(capacity: total * h)
        let qkv = UnsafeMutablePointer<Float>.allocate(capacity: total * 3 * h)
        let context = UnsafeMutablePointer<Float>.allocate(capacity: total * h)
        let sum = UnsafeMutablePointer<Float>.allocate(capacity: total * h)
        let inner = UnsafeMutablePointer<Float>.allocate(capacity: total * c.intermediateSize)
        let scratchCount = pk_encoder_attention_scratch_floats(pool.raw, longest, Int32(c.headSize))
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
        defer {
            for buffer in [x, qkv, context, sum, inner, scratch] { buffer.deallocate() }
        }

        embedTokens(sequences, into: x)
        let scale = 1 / Float(c.headSize).squareRoot()
        let p = pool.raw
        for layer in weights.layers {
            pk_sgemm(p, layer.qkv, 3 * h, h, x, h, total, qkv, 3 * h, nil, 0, 0)
            pk_encoder_attention(
                p, qkv, 3 * h, offsets, Int32(sequences.count), Int32(c.headCount), Int32(c.headSize), scale,
                context, h, longest, scratch)
            pk_sgemm(p, layer.attentionOutput, h, h, context, h, total, sum, h, x, h, 0)
            pk_layer_norm(
                p, sum, h, total, h, layer.attentionNorm.gamma, layer.attentionNorm.beta, c.layerNormEpsilon, x, h)
            pk_sgemm(p, layer.intermediate, c.intermediateSize, h, x, h, total, inner, c.intermediateSize, nil, 0, 1)
            pk_sgemm(p, layer.output, h, c.intermediateSize, inner, c.intermediateSize, total, sum, h, x, h, 0)
            pk_layer_norm(p, sum, h, total, h, layer.outputNorm.gamma, layer.outputNorm.beta, c.layerNormEpsilon, x, h)
        }
        return (0..<sequences.count).map { index in
            meanPooled(x + Int(offsets[index]) * h, count: Int(offsets[index + 1] - offsets[index]))
        }
    }

    /// Word + position + token type embeddings, then the embedding layer norm.
    private func embedTokens(_ sequences: [[Int32]], into x: UnsafeMutablePointer<Float>) {
        let h = configuration.hiddenSize
        var row = 0
        weights.wordEmbeddings.withUnsafeBufferPointer { words in
            weights.positionEmbeddings.withUnsafeBufferPointer { positions in
                weights.tokenType.withUnsafeBufferPointer { type in
                    for sequence in sequences {
                        for (position, id) in sequence.enumerated() {
                            let out = x + row * h
                            let word = words.baseAddress! + Int(id) * h
                            let place = positions.baseAddress! + position * h
                            for i in 0..<h { out[i] = word[i] + place[i] + type[i] }
                            row += 1
                        }
                    }
                }
            }
        }
        let norm = weights.embeddingNorm
        pk_layer_norm(pool.raw, x, h, row, h, norm.gamma, norm.beta, configuration.layerNormEpsilon, x, h)
    }

    private func meanPooled(_ rows: UnsafeMutablePointer<Float>, count: Int) -> [Float] {
        let h = configuration.hiddenSize
        var mean = [Float](repeating: 0, count: h)
        for t in 0..<count {
            let row = rows + t * h
            for i in 0..<h { mean[i] += row[i] }
        }
        var norm: Float = 0
        for i in 0..<h {
            mean[i] /= Float(max(count, 1))
            norm += mean[i] * mean[i]
        }
        // sentence-transformers divides by max(norm, 1e-12).
        let scale = 1 / max(norm.squareRoot(), 1e-12)
        for i in 0..<h { mean[i] *= scale }
        return mean
    }
}
