import Foundation
import ParleyCore
import SQLKit

extension SQLRow {
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    // Optionals are checked for NULL first: decoding `String?` itself goes through a generic Decoder, several
    // times slower than a plain `String`, which counts when reading a 10,000-message chat.
    func optionalString(_ column: String) throws -> String? {
        try decodeNil(column: column) ? nil : decode(column: column, as: String.self)
    }
    func int64(_ column: String) throws -> Int64 { try decode(column: column, as: Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? {
        try decodeNil(column: column) ? nil : decode(column: column, as: Int64.self)
    }
    func bool(_ column: String) throws -> Bool { try decode(column: column, as: Bool.self) }
    func timestamp(_ column: String) throws -> Timestamp { Timestamp(milliseconds: try int64(column)) }

    /// A JSON document stored as text; nil when the column is NULL.
    func json(_ column: String) throws -> JSONValue? {
        guard let text = try optionalString(column) else { return nil }
        return try JSONValue.parse(Array(text.utf8))
    }

    func jsonObject(_ column: String) throws -> [String: JSONValue] { try json(column)?.objectValue ?? [:] }

    func stringArray(_ column: String) throws -> [String] {
        (try json(column)?.arrayValue ?? []).compactMap(\.stringValue)
    }
}

enum JSONText {
    static func encode(_ value: JSONValue) -> String { value.jsonString() }
    static func encode(_ object: [String: JSONValue]) -> String { JSONValue.object(object).jsonString() }
    static func encode(_ strings: [String]) -> String { JSONValue.array(strings.map { .string($0) }).jsonString() }
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }
}

/// Opaque listing cursors: the sort key of the last item of a page.
enum Cursor {
    static func make(_ milliseconds: Int64, _ id: String) -> String {
        Data("\(milliseconds)|\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func parse(_ cursor: String?) throws -> (Int64, String)? {
        guard let cursor, !cursor.isEmpty else { return nil }
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            let bar = text.firstIndex(of: "|"), let milliseconds = Int64(text[..<bar])
        else { throw ParleyError.badRequest("cursor: not a cursor this server gave out", param: "cursor") }
        return (milliseconds, String(text[text.index(after: bar)...]))
    }

    static func limit(_ limit: Int?) throws -> Int {
        let limit = limit ?? 50
        guard (1...500).contains(limit) else {
            throw ParleyError.badRequest("limit: must be between 1 and 500", param: "limit")
        }
        return limit
    }
}
