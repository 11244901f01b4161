import Foundation
import Testing

@testable import ParleyInference

/// The batched (prompt) products use register tiles; they must give exactly the floats of the
/// one-token products, whatever the type and however rows and tokens fall into tiles.
@Suite struct MatrixProductTests {
    static let pool = ComputePool(threads: 2)

    /// Random but well-formed blocks: finite scales, any quants.
    static func randomRows(_ type: GGMLType, rows: Int, columns: Int, generator: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = []
        func half(_ value: Float) -> [UInt8] { withUnsafeBytes(of: Float16(value).bitPattern.littleEndian, Array.init) }
        func random(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) } }
        func scale() -> Float { Float(generator.next() % 1000 + 1) / 20_000 }
        for _ in 0..<(rows * columns / type.blockSize) {
            switch type {
            case .q4_0: bytes += half(scale()) + random(16)
            case .q4_1: bytes += half(scale()) + half(-scale()) + random(16)
            case .q5_0: bytes += half(scale()) + random(4) + random(16)
            case .q5_1: bytes += half(scale()) + half(-scale()) + random(4) + random(16)
            case .q8_0:
                bytes +=
                    half(scale()) + (0..<32).map { _ in UInt8(bitPattern: Int8(Int(generator.next() % 255) - 127)) }
            case .f16: bytes += half(scale() * 10 - 0.25)
            case .bf16:
                let bits = (scale() * 10 - 0.25).bitPattern >> 16
                bytes += withUnsafeBytes(of: UInt16(bits).littleEndian, Array.init)
            default: bytes += withUnsafeBytes(of: (scale() * 10 - 0.25).bitPattern.littleEndian, Array.init)
            }
        }
        return bytes
    }

    @Test(arguments: [GGMLType.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .f16, .bf16, .f32])
    func batchedProductsEqualOneTokenProducts(type: GGMLType) throws {
        let directory = try TemporaryDirectory()
        var generator = SplitMix64(seed: UInt64(type.rawValue) + 7)
        let rows = 37
        let columns = 96
        let tokens = 11
        let path = directory.path("w.gguf")
        try GGUFBuilder(tensors: [
            (
                "w", [columns, rows], type,
                Self.randomRows(
                    type, rows: rows, columns: columns,
                    generator: &generator)
            )
        ]).write(to: path)
        let file = try GGUFFile(path: path)
        let matrix = try WeightMatrix(file: file, name: "w")
        let x = (0..<(tokens * columns)).map { _ in Float(Int(generator.next() % 2001) - 1000) / 300 }
        let scratch = UnsafeMutableRawPointer.allocate(
            byteCount: matrix.scratchBytes(tokens: tokens) + 64, alignment: 64)
        defer { scratch.deallocate() }
        var batched = [Float](repeating: 0, count: tokens * rows)
        matrix.multiply(
            x, xStride: columns, tokens: tokens, into: &batched, yStride: rows, scratch: scratch, pool: Self.pool)
        for token in 0..<tokens {
            var single = [Float](repeating: 0, count: rows)
            x.withUnsafeBufferPointer { buffer in
                matrix.multiply(
                    buffer.baseAddress! + token * columns, xStride: columns, tokens: 1, into: &single,
                    yStride: rows, scratch: scratch, pool: Self.pool)
            }
            #expect(Array(batched[(token * rows)..<((token + 1) * rows)]) == single, "\(type.name) token \(token)")
        }
        // And both against plain arithmetic on the dequantised weights.
        for row in [0, rows - 1] {
            let data = file.data(for: file.tensors[0])
            let rowBytes = UnsafeRawBufferPointer(rebasing: data[(row * matrix.rowBytes)...])
            let weights = Quantization.dequantize(type, bytes: rowBytes, count: columns)
            var magnitude = 0.0
            var exact = 0.0
            for column in 0..<columns {
                exact += Double(weights[column]) * Double(x[column])
                magnitude += abs(Double(weights[column]) * Double(x[column]))
            }
            let tolerance = type.blockSize == 1 ? 1e-5 * magnitude : 0.01 * magnitude
            #expect(abs(Double(batched[row]) - exact) <= tolerance, "\(type.name) row \(row)")
        }
    }
}
