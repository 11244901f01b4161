/// The weights of one transformer block of a Llama-family model.
struct LlamaLayer: Sendable {
    let attentionNorm: [Float]
    let query: WeightMatrix
    let key: WeightMatrix
    let value: WeightMatrix
    let output: WeightMatrix
    let feedForwardNorm: [Float]
    let gate: WeightMatrix
    let up: WeightMatrix
    let down: WeightMatrix

    init(file: GGUFFile, index: Int, shape: LlamaHyperparameters) throws(ModelLoadingError) {
        let prefix = "blk.\(index)."
        attentionNorm = try Self.vector(file, prefix + "attn_norm.weight", count: shape.embedding)
        feedForwardNorm = try Self.vector(file, prefix + "ffn_norm.weight", count: shape.embedding)
        query = try WeightMatrix(file: file, name: prefix + "attn_q.weight")
        key = try WeightMatrix(file: file, name: prefix + "attn_k.weight")
        value = try WeightMatrix(file: file, name: prefix + "attn_v.weight")
        output = try WeightMatrix(file: file, name: prefix + "attn_output.weight")
        gate = try WeightMatrix(file: file, name: prefix + "ffn_gate.weight")
        up = try WeightMatrix(file: file, name: prefix + "ffn_up.weight")
        down = try WeightMatrix(file: file, name: prefix + "ffn_down.weight")
        try query.expect(columns: shape.embedding, rows: shape.queryDimension, file: file.path)
        try key.expect(columns: shape.embedding, rows: shape.kvDimension, file: file.path)
        try value.expect(columns: shape.embedding, rows: shape.kvDimension, file: file.path)
        try output.expect(columns: shape.queryDimension, rows: shape.embedding, file: file.path)
        try gate.expect(columns: shape.embedding, rows: shape.feedForward, file: file.path)
        try up.expect(columns: shape.embedding, rows: shape.feedForward, file: file.path)
        try down.expect(columns: shape.feedForward, rows: shape.embedding, file: file.path)
    }

    var matrices: [WeightMatrix] { [query, key, value, output, gate, up, down] }

    /// A 1-D tensor (a norm's weights) as floats.
    static func vector(_ file: GGUFFile, _ name: String, count: Int) throws(ModelLoadingError) -> [Float] {
        let matrix = try WeightMatrix(file: file, name: name)
        guard matrix.rows == 1, matrix.columns == count else {
            throw .badShape(name, [matrix.columns, matrix.rows], expected: "[\(count)]", file: file.path)
        }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            matrix.dequantizeRow(0, into: buffer.baseAddress!)
            initialized = count
        }
    }
}
