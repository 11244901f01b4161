import Foundation
import Hummingbird
import ParleyCore

/// Reading `/api/v1` requests: a JSON object body whose fields are all known, and query parameters,
/// every problem a 400 that names the field.
enum APIRequest {
    /// The body as a JSON object, refusing fields not in `allowed` (a typo should not pass silently).
    static func object(_ request: inout Request, limit: Int, allowed: Set<String>) async throws -> FieldReader {
        let body = FieldReader(try await RequestBodyReader.object(&request, limit: limit))
        try body.refuseUnknown(allowed)
        return body
    }

    static func bool(_ request: Request, _ name: String) throws -> Bool? {
        guard let text = request.uri.queryParameters[name[...]].map(String.init) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ParleyError.badRequest("\(name): expected true or false, got '\(text)'", param: name)
        }
    }

    static func int(_ request: Request, _ name: String) throws -> Int? {
        guard let text = request.uri.queryParameters[name[...]].map(String.init) else { return nil }
        guard let value = Int(text) else { throw ParleyError.badRequest("\(name): expected a whole number, got '\(text)'", param: name) }
        return value
    }

    static func string(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[name[...]].map(String.init)
    }

    /// A path parameter, percent-decoded: the router hands them over as sent, and names such as aliases
    /// and model names may hold spaces, `:` or `/` (sent as `%2F`). One that is not valid percent-encoding
    /// is taken as written.
    static func id(_ context: ParleyRequestContext, _ name: String = "id") throws -> String {
        guard let raw = context.parameters.get(name) else {
            throw ParleyError.badRequest("missing \(name) in the path")
        }
        return raw.removingPercentEncoding ?? raw
    }
}

extension FieldReader {
    /// A JSON object field as a dictionary.
    func dictionary(_ key: String) throws -> [String: JSONValue]? {
        guard let value = value(key) else { return nil }
        guard case .object(let object) = value else { throw fail(key, "expected an object, got \(value.typeName)") }
        return object
    }

    /// Whether the field is present at all (even as null): PATCH tells "clear" from "leave as is".
    func has(_ key: String) -> Bool { object[key] != nil }

    /// Refuses a field not in `known`, naming it: bodies (and what is stored as sent) hold only what the
    /// server knows.
    func refuseUnknown(_ known: Set<String>) throws {
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail(unknown, "unknown field (known: \(known.sorted().joined(separator: ", ")))")
        }
    }
}
