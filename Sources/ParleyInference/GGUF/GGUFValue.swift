/// A metadata value of a GGUF file.
public enum GGUFValue: Sendable, Hashable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case uint64(UInt64)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    case bool(Bool)
    case string(String)
    case array([GGUFValue])

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Any integer value that fits an `Int`.
    public var int: Int? {
        switch self {
        case .uint8(let value): return Int(value)
        case .int8(let value): return Int(value)
        case .uint16(let value): return Int(value)
        case .int16(let value): return Int(value)
        case .uint32(let value): return Int(value)
        case .int32(let value): return Int(value)
        case .uint64(let value): return Int(exactly: value)
        case .int64(let value): return Int(exactly: value)
        default: return nil
        }
    }

    /// Any number, floating point or integer.
    public var double: Double? {
        switch self {
        case .float32(let value): return Double(value)
        case .float64(let value): return value
        default: return int.map(Double.init)
        }
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var array: [GGUFValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The array's elements when every one is a string.
    public var stringArray: [String]? {
        guard let array else { return nil }
        var result: [String] = []
        result.reserveCapacity(array.count)
        for element in array {
            guard let value = element.string else { return nil }
            result.append(value)
        }
        return result
    }

    /// The array's elements when every one is an integer that fits an `Int`.
    public var intArray: [Int]? {
        guard let array else { return nil }
        var result: [Int] = []
        result.reserveCapacity(array.count)
        for element in array {
            guard let value = element.int else { return nil }
            result.append(value)
        }
        return result
    }

    /// The array's elements when every one is a number.
    public var floatArray: [Float]? {
        guard let array else { return nil }
        var result: [Float] = []
        result.reserveCapacity(array.count)
        for element in array {
            guard let value = element.double else { return nil }
            result.append(Float(value))
        }
        return result
    }
}
