import Foundation

extension JSONValue {
    /// Parses a JSON document (RFC 8259, strict); a ``JSONSyntaxError`` says what is wrong and where.
    ///
    /// With `keeping`, objects hold only members of those names; the others are checked and skipped.
    public static func parse(
        _ data: some Collection<UInt8>, keeping: JSONMemberNames? = nil
    ) throws(JSONSyntaxError) -> JSONValue {
        func read(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONSyntaxError> {
            var reader = JSONReader(bytes, keeping: keeping)
            return Result { () throws(JSONSyntaxError) in try reader.document() }
        }
        let parsed = data.withContiguousStorageIfAvailable(read) ?? Array(data).withUnsafeBufferPointer(read)
        return try parsed.get()
    }

    /// The value as compact JSON text.
    public func jsonString() -> String {
        String(decoding: jsonBytes(), as: UTF8.self)
    }

    public func jsonData() -> Data {
        Data(jsonBytes())
    }

    /// The value as compact JSON bytes (non-finite numbers, which JSON cannot hold, as `null`).
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter()
        writer.value(self)
        return writer.bytes
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}
