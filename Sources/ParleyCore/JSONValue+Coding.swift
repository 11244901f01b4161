import Foundation

extension JSONValue {
    /// Parses a JSON document.
    public static func parse(_ data: some Collection<UInt8>) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(data))
    }

    /// The value as compact JSON text.
    public func jsonString() -> String {
        String(decoding: jsonData(), as: UTF8.self)
    }

    public func jsonData() -> Data {
        // Encoding a JSONValue cannot fail: it holds only JSON-representable values (non-finite
        // numbers are written as null).
        (try? Self.encoder.encode(self.finite)) ?? Data("null".utf8)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    private var finite: JSONValue {
        switch self {
        case .number(let value) where !value.isFinite: return .null
        case .array(let values): return .array(values.map(\.finite))
        case .object(let object): return .object(object.mapValues(\.finite))
        default: return self
        }
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
