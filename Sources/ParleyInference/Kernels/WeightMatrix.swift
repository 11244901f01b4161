import CParleyKernels

/// A 2-D weight tensor read in place from the mapped model file: `rows` rows of `columns` elements.
struct WeightMatrix: @unchecked Sendable {
    let name: String
    let type: GGMLType
    let rows: Int
    let columns: Int
    let base: UnsafeRawPointer
    let rowBytes: Int

    init(file: GGUFFile, name: String) throws(ModelLoadingError) {
        guard let info = file.tensor(named: name) else { throw .missingTensor(name, file: file.path) }
        guard info.shape.count == 2 || (info.shape.count == 1 && info.shape[0] > 0) else {
            throw .badShape(name, info.shape, expected: "2 dimensions", file: file.path)
        }
        guard pk_type_supported(Int32(info.type.rawValue)) != 0 else {
            throw .unsupportedType(info.type, tensor: name, file: file.path)
        }
        self.name = name
        type = info.type
        columns = info.shape[0]
        rows = info.shape.count == 2 ? info.shape[1] : 1
        rowBytes = pk_row_bytes(Int32(type.rawValue), columns)
        guard rowBytes > 0, rowBytes * rows == info.byteCount else {
            throw .badShape(name, info.shape, expected: "whole \(type.name) blocks per row", file: file.path)
        }
        base = file.data(for: info).baseAddress!
    }

    /// Fails unless the matrix has this shape (columns is the input size, rows the output size).
    func expect(columns: Int, rows: Int, file: String) throws(ModelLoadingError) {
        guard self.columns == columns, self.rows == rows else {
            throw .badShape(name, [self.columns, self.rows], expected: "[\(columns), \(rows)]", file: file)
        }
    }

    /// Bytes of scratch `multiply` needs for `tokens` input rows.
    func scratchBytes(tokens: Int) -> Int {
        tokens * pk_activation_row_bytes(Int32(type.rawValue), columns)
    }

    /// y[t][r] = row r · x[t] for `tokens` rows of x (`columns` floats each, `xStride` apart).
    func multiply(
        _ x: UnsafePointer<Float>, xStride: Int, tokens: Int, into y: UnsafeMutablePointer<Float>, yStride: Int,
        scratch: UnsafeMutableRawPointer, pool: ComputePool
    ) {
        pk_matmul(pool.raw, Int32(type.rawValue), base, rows, columns, x, xStride, tokens, y, yStride, scratch)
    }

    /// Row `index` as floats.
    func dequantizeRow(_ index: Int, into destination: UnsafeMutablePointer<Float>) {
        pk_dequantize_row(Int32(type.rawValue), base + index * rowBytes, destination, columns)
    }
}
