import Foundation
import ParleyInference

/// Writes small GGUF files for tests, byte by byte as the format describes, independently of the reader.
struct GGUFBuilder {
    var version: UInt32 = 3
    var alignment: Int = 32
    var metadata: [(String, GGUFValue)] = []
    var tensors: [(name: String, shape: [Int], type: GGMLType, data: [UInt8])] = []

    func build() -> [UInt8] {
        var out: [UInt8] = []
        func put<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
        }
        func putString(_ string: String) {
            put(UInt64(string.utf8.count))
            out.append(contentsOf: Array(string.utf8))
        }
        func typeCode(_ value: GGUFValue) -> UInt32 {
            switch value {
            case .uint8: 0
            case .int8: 1
            case .uint16: 2
            case .int16: 3
            case .uint32: 4
            case .int32: 5
            case .float32: 6
            case .bool: 7
            case .string: 8
            case .array: 9
            case .uint64: 10
            case .int64: 11
            case .float64: 12
            }
        }
        func putValue(_ value: GGUFValue) {
            switch value {
            case .uint8(let v): put(v)
            case .int8(let v): put(v)
            case .uint16(let v): put(v)
            case .int16(let v): put(v)
            case .uint32(let v): put(v)
            case .int32(let v): put(v)
            case .uint64(let v): put(v)
            case .int64(let v): put(v)
            case .float32(let v): put(v.bitPattern)
            case .float64(let v): put(v.bitPattern)
            case .bool(let v): put(UInt8(v ? 1 : 0))
            case .string(let v): putString(v)
            case .array(let elements):
                put(elements.first.map(typeCode) ?? 0)
                put(UInt64(elements.count))
                elements.forEach(putValue)
            }
        }

        put(UInt32(0x4655_4747))
        put(version)
        put(UInt64(tensors.count))
        put(UInt64(metadata.count))
        for (key, value) in metadata {
            putString(key)
            put(typeCode(value))
            putValue(value)
        }
        var offsets: [Int] = []
        var dataSize = 0
        for tensor in tensors {
            offsets.append(dataSize)
            dataSize += (tensor.data.count + alignment - 1) / alignment * alignment
        }
        for (tensor, offset) in zip(tensors, offsets) {
            putString(tensor.name)
            put(UInt32(tensor.shape.count))
            tensor.shape.forEach { put(UInt64($0)) }
            put(tensor.type.rawValue)
            put(UInt64(offset))
        }
        while out.count % alignment != 0 { out.append(0) }
        for tensor in tensors {
            out.append(contentsOf: tensor.data)
            while out.count % alignment != 0 { out.append(0) }
        }
        return out
    }

    func write(to path: String) throws {
        try Data(build()).write(to: URL(fileURLWithPath: path))
    }
}
