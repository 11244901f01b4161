/// Reads the header of a GGUF file, checking every read against the end of the file so that a
/// corrupt length or count gives an error instead of a crash or a huge allocation.
struct GGUFCursor {
    let bytes: UnsafeRawBufferPointer
    let path: String
    private(set) var offset = 0

    /// Arrays may hold arrays; a corrupt file could nest them deeper than the stack allows.
    private static let maximumNesting = 8

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    var remaining: Int { bytes.count - offset }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(GGUFError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw .truncated(path, "the file ends inside \(what())") }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    /// A count that announces `minimumBytesEach` bytes or more per item: checked against what is left.
    mutating func readCount(_ what: @autoclosure () -> String, minimumBytesEach: Int) throws(GGUFError) -> Int {
        let raw = try read(UInt64.self, what())
        guard raw <= UInt64(remaining / max(minimumBytesEach, 1)) else {
            throw .truncated(path, "\(what()) is \(raw), more than the rest of the file can hold")
        }
        return Int(raw)
    }

    mutating func readString(_ what: @autoclosure () -> String) throws(GGUFError) -> String {
        let length = try read(UInt64.self, what())
        guard length <= UInt64(remaining) else {
            throw .truncated(path, "the length of \(what()) is \(length), past the end of the file")
        }
        let start = offset
        offset += Int(length)
        // Invalid UTF-8 is repaired, not rejected: vocabularies of some models hold partial characters.
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    mutating func readValue(typeCode: UInt32, key: String, depth: Int = 0) throws(GGUFError) -> GGUFValue {
        switch typeCode {
        case 0: return .uint8(try read(UInt8.self, "the value of \(key)"))
        case 1: return .int8(try read(Int8.self, "the value of \(key)"))
        case 2: return .uint16(try read(UInt16.self, "the value of \(key)"))
        case 3: return .int16(try read(Int16.self, "the value of \(key)"))
        case 4: return .uint32(try read(UInt32.self, "the value of \(key)"))
        case 5: return .int32(try read(Int32.self, "the value of \(key)"))
        case 6: return .float32(Float(bitPattern: try read(UInt32.self, "the value of \(key)")))
        case 7:
            let raw = try read(UInt8.self, "the value of \(key)")
            guard raw <= 1 else { throw .corrupt(path, "boolean \(key) has the value \(raw)") }
            return .bool(raw == 1)
        case 8: return .string(try readString("the value of \(key)"))
        case 9: return try readArray(key: key, depth: depth)
        case 10: return .uint64(try read(UInt64.self, "the value of \(key)"))
        case 11: return .int64(try read(Int64.self, "the value of \(key)"))
        case 12: return .float64(Double(bitPattern: try read(UInt64.self, "the value of \(key)")))
        default: throw .corrupt(path, "unknown value type \(typeCode) for key \(key)")
        }
    }

    private mutating func readArray(key: String, depth: Int) throws(GGUFError) -> GGUFValue {
        guard depth < Self.maximumNesting else { throw .corrupt(path, "arrays nested too deeply in \(key)") }
        let elementType = try read(UInt32.self, "the element type of \(key)")
        let minimumSize: Int
        switch elementType {
        case 0, 1, 7: minimumSize = 1
        case 2, 3: minimumSize = 2
        case 4, 5, 6: minimumSize = 4
        case 8, 10, 11, 12: minimumSize = 8
        case 9: minimumSize = 12
        default: throw .corrupt(path, "unknown element type \(elementType) in array \(key)")
        }
        let count = try readCount("the length of array \(key)", minimumBytesEach: minimumSize)
        var elements: [GGUFValue] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            elements.append(try readValue(typeCode: elementType, key: key, depth: depth + 1))
        }
        return .array(elements)
    }
}
