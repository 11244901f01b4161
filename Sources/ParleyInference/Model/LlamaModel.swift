import CParleyKernels
import Synchronization

/// The Llama architecture (Llama 2/3, SmolLM, Mistral-style GQA models): RMSNorm, rotary
/// positions on adjacent pairs, grouped-query attention, SwiGLU feed-forward, tied or separate
/// output weights. Weights are used in place from the mapped file.
public final class LlamaModel: LanguageModel {
    public let vocabularySize: Int
    public var trainedContextLength: Int { shape.contextLength }

    let shape: LlamaHyperparameters
    private let file: GGUFFile
    private let pool: ComputePool
    private let tokenEmbedding: WeightMatrix
    private let outputNorm: [Float]
    private let output: WeightMatrix
    private let layers: [LlamaLayer]
    private let rope: RotaryEmbedding
    /// Tokens per forward step of a prompt: weights are read once per step.
    static let batchSize = 512
    private let workspace: Mutex<LlamaWorkspace?> = Mutex(nil)

    public init(file: GGUFFile, pool: ComputePool) throws {
        let architecture = file.metadata["general.architecture"]?.string ?? "llama"
        let shape = try LlamaHyperparameters(file: file, architecture: architecture)
        self.shape = shape
        self.file = file
        self.pool = pool
        tokenEmbedding = try WeightMatrix(file: file, name: "token_embd.weight")
        guard tokenEmbedding.columns == shape.embedding else {
            throw ModelLoadingError.badShape(
                "token_embd.weight", [tokenEmbedding.columns, tokenEmbedding.rows],
                expected: "[\(shape.embedding), vocab]",
                file: file.path)
        }
        vocabularySize = tokenEmbedding.rows
        outputNorm = try LlamaLayer.vector(file, "output_norm.weight", count: shape.embedding)
        // Small models share the embedding matrix with the output projection.
        output =
            file.tensor(named: "output.weight") != nil
            ? try WeightMatrix(file: file, name: "output.weight") : tokenEmbedding
        try output.expect(columns: shape.embedding, rows: vocabularySize, file: file.path)
        layers = try (0..<shape.layers).map { index throws(ModelLoadingError) in
            try LlamaLayer(file: file, index: index, shape: shape)
        }
        rope = RotaryEmbedding(dimensions: shape.ropeDimensions, base: shape.ropeBase, pairing: .adjacent)
    }

    public func makeCache(capacity: Int) -> KVCache {
        KVCache(layers: shape.layers, kvDimension: shape.kvDimension, capacity: capacity)
    }

    public func evaluate(
        _ tokens: UnsafeBufferPointer<Int32>, cache: KVCache, outputCount: Int, logits: UnsafeMutablePointer<Float>
    ) {
        precondition(tokens.count <= cache.free, "the tokens do not fit in the KV cache")
        precondition(outputCount <= tokens.count)
        workspace.withLock { workspace in
            let batch = min(Self.batchSize, max(tokens.count, workspace?.batch ?? 0))
            if workspace == nil || workspace!.batch < batch {
                workspace = LlamaWorkspace(shape: shape, batch: batch, matrices: allMatrices)
            }
            let work = workspace!
            work.reserveAttentionScratch(pk_attention_scratch_floats(pool.raw, cache.capacity, Int32(shape.headSize)))
            let firstOutput = tokens.count - outputCount
            var start = 0
            while start < tokens.count {
                let end = min(tokens.count, start + work.batch)
                let outputs = max(start, firstOutput)..<end
                step(
                    UnsafeBufferPointer(rebasing: tokens[start..<end]), cache: cache, work: work,
                    outputRows: (outputs.lowerBound - start)..<(outputs.upperBound - start),
                    logits: logits + (outputs.lowerBound - firstOutput) * vocabularySize)
                start = end
            }
        }
    }

    private var allMatrices: [WeightMatrix] { layers.flatMap(\.matrices) + [output] }

    /// One batch of tokens through every layer; logits for `outputRows` of the batch.
    private func step(
        _ tokens: UnsafeBufferPointer<Int32>, cache: KVCache, work: LlamaWorkspace, outputRows: Range<Int>,
        logits: UnsafeMutablePointer<Float>
    ) {
        let n = tokens.count
        let dim = shape.embedding
        let kvDim = shape.kvDimension
        let qDim = shape.queryDimension
        let ff = shape.feedForward
        let first = cache.count
        for (row, token) in tokens.enumerated() {
            precondition(token >= 0 && Int(token) < vocabularySize, "token \(token) is outside the vocabulary")
            tokenEmbedding.dequantizeRow(Int(token), into: work.x + row * dim)
        }
        rope.table(positions: first..<(first + n), cos: work.ropeCos, sin: work.ropeSin)
        let scale = 1 / Float(shape.headSize).squareRoot()

        for (index, layer) in layers.enumerated() {
            VectorMath.rmsNorm(
                work.x, weight: layer.attentionNorm, epsilon: shape.rmsEpsilon, count: dim, rows: n, into: work.normed)
            multiply(layer.query, work.normed, n, into: work.query, work)
            multiply(layer.key, work.normed, n, into: work.key, work)
            multiply(layer.value, work.normed, n, into: work.value, work)
            rope.apply(
                work.query, rows: n, stride: qDim, heads: shape.heads, headSize: shape.headSize,
                cos: work.ropeCos, sin: work.ropeSin)
            rope.apply(
                work.key, rows: n, stride: kvDim, heads: shape.kvHeads, headSize: shape.headSize,
                cos: work.ropeCos, sin: work.ropeSin)
            let keys = cache.keys(layer: index)
            let values = cache.values(layer: index)
            pk_f32_to_f16(work.key, keys + first * kvDim, n * kvDim)
            pk_f32_to_f16(work.value, values + first * kvDim, n * kvDim)
            pk_attention(
                pool.raw, work.query, qDim, keys, values, kvDim, work.attention, qDim, n,
                first, Int32(shape.heads), Int32(shape.kvHeads), Int32(shape.headSize), scale,
                work.attentionScratch)
            multiply(layer.output, work.attention, n, into: work.projected, work)
            VectorMath.add(work.projected, to: work.x, count: n * dim)

            VectorMath.rmsNorm(
                work.x, weight: layer.feedForwardNorm, epsilon: shape.rmsEpsilon, count: dim, rows: n, into: work.normed
            )
            multiply(layer.gate, work.normed, n, into: work.gate, work)
            multiply(layer.up, work.normed, n, into: work.up, work)
            VectorMath.swiGLU(gate: work.gate, up: work.up, count: n * ff)
            multiply(layer.down, work.gate, n, into: work.projected, work)
            VectorMath.add(work.projected, to: work.x, count: n * dim)
        }
        cache.count = first + n

        guard !outputRows.isEmpty else { return }
        let rows = outputRows.count
        VectorMath.rmsNorm(
            work.x + outputRows.lowerBound * dim, weight: outputNorm, epsilon: shape.rmsEpsilon, count: dim, rows: rows,
            into: work.normed)
        multiply(output, work.normed, rows, into: logits, work)
    }

    private func multiply(
        _ matrix: WeightMatrix, _ x: UnsafePointer<Float>, _ tokens: Int, into y: UnsafeMutablePointer<Float>,
        _ work: LlamaWorkspace
    ) {
        matrix.multiply(
            x, xStride: matrix.columns, tokens: tokens, into: y, yStride: matrix.rows, scratch: work.activations,
            pool: pool)
    }
}
