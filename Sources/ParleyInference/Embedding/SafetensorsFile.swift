import CParleyKernels
import Foundation

/// A `.safetensors` file, memory-mapped: an 8-byte little-endian header length, a JSON header naming
/// each tensor's type, shape and byte range, then the raw data.
final class SafetensorsFile: @unchecked Sendable {
    struct Tensor: Sendable {
        var dtype: String
        var shape: [Int]
        /// Byte range inside the data section.
        var range: Range<Int>
    }

    let path: String
    let tensors: [String: Tensor]
    private let file: MappedFile
    private let dataStart: Int

    init(path: String) throws(EmbeddingModelError) {
        self.path = path
        do {
            file = try MappedFile(path: path)
        } catch {
            if FileManager.default.fileExists(atPath: path) { throw .corrupt(path, error.problem) }
            throw .missingFile(path)
        }
        let bytes = file.bytes
        guard bytes.count >= 8 else { throw .corrupt(path, "shorter than a safetensors header") }
        let headerLength = Int(clamping: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian)
        guard headerLength > 1, headerLength <= bytes.count - 8 else {
            throw .corrupt(path, "the header length \(headerLength) does not fit in the file")
        }
        dataStart = 8 + headerLength
        let header = Data(bytes[8..<dataStart])
        guard let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else {
            throw .corrupt(path, "the header is not a JSON object")
        }
        let dataSize = bytes.count - dataStart
        var tensors: [String: Tensor] = [:]
        for (name, value) in object where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int],
                offsets.count == 2, shape.allSatisfy({ $0 >= 0 })
            else { throw .corrupt(path, "tensor \(name) has no valid dtype, shape and data_offsets") }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataSize else {
                throw .corrupt(path, "tensor \(name) lies outside the file (\(offsets[0])..<\(offsets[1]))")
            }
            if let size = Self.elementSize(dtype) {
                let count = shape.reduce(1, *)
                guard count * size == offsets[1] - offsets[0] else {
                    throw .corrupt(path, "tensor \(name) of shape \(shape) does not fill its \(offsets[1] - offsets[0]) bytes")
                }
            }
            tensors[name] = Tensor(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
        }
        self.tensors = tensors
    }

    static func elementSize(_ dtype: String) -> Int? {
        switch dtype {
        case "F32", "I32": 4
        case "F16", "BF16", "I16": 2
        case "F64", "I64": 8
        case "I8", "U8", "BOOL": 1
        default: nil
        }
    }

    /// The tensor's elements as floats (F32, F16 and BF16 tensors), checked against `shape`.
    func floats(_ name: String, shape expected: [Int]) throws(EmbeddingModelError) -> [Float] {
        guard let tensor = tensors[name] else { throw .corrupt(path, "tensor \(name) is missing") }
        guard tensor.shape == expected else {
            throw .corrupt(path, "tensor \(name) has shape \(tensor.shape), expected \(expected)")
        }
        let count = expected.reduce(1, *)
        let base = file.bytes.baseAddress!.advanced(by: dataStart + tensor.range.lowerBound)
        switch tensor.dtype {
        case "F32":
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                memcpy(buffer.baseAddress!, base, count * 4)
                initialized = count
            }
        case "F16":
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                let halves = [UInt16](unsafeUninitializedCapacity: count) { raw, done in
                    memcpy(raw.baseAddress!, base, count * 2)
                    done = count
                }
                pk_f16_to_f32(halves, buffer.baseAddress!, count)
                initialized = count
            }
        case "BF16":
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    let bits = UInt32(base.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)) << 16
                    buffer[i] = Float(bitPattern: bits)
                }
                initialized = count
            }
        default:
            throw .unsupported(path, "tensor \(name) has type \(tensor.dtype) (F32, F16 and BF16 are supported)")
        }
    }
}
