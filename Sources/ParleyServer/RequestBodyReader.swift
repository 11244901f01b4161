import Hummingbird
import ParleyCore

/// Reads a JSON request body with a size cap, turning every failure into a precise client error.
enum RequestBodyReader {
    static func json(_ request: inout Request, limit: Int) async throws -> JSONValue {
        let buffer = try await bytes(&request, limit: limit)
        let value: JSONValue
        do {
            value = try JSONValue.parse(buffer.readableBytesView)
        } catch {
            throw ParleyError.badRequest("The request body is not valid JSON: \(Self.describe(error))")
        }
        guard case .object = value else {
            throw ParleyError.badRequest("The request body must be a JSON object, not \(value.typeName).")
        }
        return value
    }

    /// ``json(_:limit:)``'s object, as its fields.
    static func object(_ request: inout Request, limit: Int) async throws -> [String: JSONValue] {
        try await json(&request, limit: limit).objectValue ?? [:]
    }

    /// The whole body, refused with 413 past `limit` and 400 when empty.
    static func bytes(_ request: inout Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw ParleyError.payloadTooLarge(limit: limit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ParleyError.payloadTooLarge(limit: limit)
        }
        guard buffer.readableBytes > 0 else {
            throw ParleyError.badRequest("The request body is empty; a JSON object is expected.")
        }
        return buffer
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            if let underlying = context.underlyingError { return "\(underlying)" }
            return context.debugDescription
        }
        return "\(error)"
    }
}

extension JSONValue {
    /// The JSON type's name, for messages (`a string`, `a number`).
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
