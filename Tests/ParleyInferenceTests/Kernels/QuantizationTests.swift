import Foundation
import Testing

@testable import ParleyInference

@Suite struct QuantizationTests {
    @Test func handBuiltQ4_1BlockDequantisesToKnownNumbers() {
        // d = 0.5, m = -1 as halves; nibble j (low) and 15 - j (high) in byte j.
        var block: [UInt8] = [0x00, 0x38, 0x00, 0xBC]
        block += (0..<16).map { (j: Int) -> UInt8 in UInt8(j) | (UInt8(15 - j) << 4) }
        let values = block.withUnsafeBytes { Quantization.dequantize(.q4_1, bytes: $0, count: 32) }
        let low: [Float] = (0..<16).map { Float($0) * 0.5 - 1 }
        let high: [Float] = (0..<16).map { Float(15 - $0) * 0.5 - 1 }
        let expected = low + high
        #expect(values == expected)
    }

    @Test func handBuiltQ5_0BlockUsesTheFifthBits() {
        // d = 2; every nibble 3; fifth bit set for elements 0 and 17 only.
        var block: [UInt8] = [0x00, 0x40]
        let high: UInt32 = 1 << 0 | 1 << 17
        block += withUnsafeBytes(of: high.littleEndian, Array.init)
        block += [UInt8](repeating: 0x33, count: 16)
        let values = block.withUnsafeBytes { Quantization.dequantize(.q5_0, bytes: $0, count: 32) }
        for (index, value) in values.enumerated() {
            let quant = 3 + ((index == 0 || index == 17) ? 16 : 0)
            #expect(value == Float(quant - 16) * 2, "element \(index)")
        }
    }

    @Test func handBuiltQ8_0AndQ4_0Blocks() {
        var q8: [UInt8] = [0x00, 0x3C]  // d = 1
        q8 += (0..<32).map { UInt8(bitPattern: Int8($0 - 16)) }
        let eight = q8.withUnsafeBytes { Quantization.dequantize(.q8_0, bytes: $0, count: 32) }
        #expect(eight == (0..<32).map { Float($0 - 16) })
        var q4: [UInt8] = [0x00, 0xC0]  // d = -2
        q4 += [UInt8](repeating: 0x9F, count: 16)  // low nibble 15, high nibble 9
        let four = q4.withUnsafeBytes { Quantization.dequantize(.q4_0, bytes: $0, count: 32) }
        #expect(four == [Float](repeating: -14, count: 16) + [Float](repeating: -2, count: 16))
    }

    @Test func blocksQuantisedByGGUFPyDequantiseAsGGUFPyDoes() throws {
        let fixture = try Fixtures.load(DequantizedRowsFixture.self, "dequantized_rows.json")
        #expect(fixture.blocks.count == 8)
        for block in fixture.blocks {
            let type = try #require(GGMLType(rawValue: block.type_code))
            let bytes = [UInt8](hex: block.bytes)
            let values = bytes.withUnsafeBytes {
                Quantization.dequantize(type, bytes: $0, count: block.dequantized.count)
            }
            #expect(values == block.dequantized, "\(block.type)")
        }
    }

    @Test func rowsOfTheModelDequantiseAsGGUFPyDoes() throws {
        let fixture = try Fixtures.load(DequantizedRowsFixture.self, "dequantized_rows.json")
        let file = try TestModel.file()
        for row in fixture.rows {
            let tensor = try #require(file.tensor(named: row.tensor))
            let rowBytes = try #require(tensor.type.rowBytes(tensor.shape[0]))
            let data = file.data(for: tensor)
            let slice = UnsafeRawBufferPointer(rebasing: data[(row.row * rowBytes)..<((row.row + 1) * rowBytes)])
            let values = Quantization.dequantize(tensor.type, bytes: slice, count: tensor.shape[0])
            #expect(values == row.values, "\(row.tensor) row \(row.row)")
        }
    }

    @Test(arguments: [GGMLType.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .f16, .bf16, .f32])
    func dotProductsMatchDequantisedArithmeticAtEveryKernelLevel(type: GGMLType) throws {
        let fixture = try Fixtures.load(DequantizedRowsFixture.self, "dequantized_rows.json")
        let block = try #require(fixture.blocks.first { $0.type_code == type.rawValue })
        let bytes = [UInt8](hex: block.bytes)
        var generator = SplitMix64(seed: 99)
        for _ in 0..<20 {
            let x = (0..<block.dequantized.count).map { _ in Float(Int(generator.next() % 2001) - 1000) / 500 }
            let exact = zip(block.dequantized, x).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let magnitude = zip(block.dequantized, x).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
            var results: [Float] = []
            for level in 0...Quantization.kernelLevel {
                let value = bytes.withUnsafeBytes { Quantization.dot(type, row: $0, with: x, level: level) }
                results.append(value)
                // Activations are quantised to 8 bits for quantised weights: about 1% of the terms' size.
                let tolerance = type.blockSize == 1 ? 1e-5 * magnitude : 0.01 * magnitude
                #expect(abs(Double(value) - exact) <= tolerance, "\(type.name) at level \(level)")
            }
            // Quantised types add up in the same order at every level: the very same floats. Float
            // weights may be added up in another order.
            for value in results.dropFirst() {
                if type.blockSize == 1 {
                    #expect(abs(value - results[0]) <= 1e-5 * Float(magnitude) + 1e-6, "\(type.name) levels disagree")
                } else {
                    #expect(value == results[0], "\(type.name) levels disagree")
                }
            }
        }
    }
}
