import ParleyCore

/// Leaves credentials out of parameter sets before they leave the server in an export. Parameters are
/// sampling settings, but they are free-form JSON, so a key or header a client passed along could be in them.
enum SecretRedaction {
    /// Names compared without case, `-` or `_`: `api_key`, `apiKey` and `X-Api-Key` are all caught, while
    /// `max_tokens` (a count, not a token) is kept.
    private static let secretNames: Set<String> = [
        "authorization", "proxyauthorization", "cookie", "setcookie", "headers", "extraheaders", "token",
        "accesstoken", "refreshtoken", "idtoken", "bearertoken", "sessiontoken", "credentials", "privatekey",
    ]
    private static let secretSuffixes = ["apikey", "secret", "password", "passwd", "accesskey"]

    static func isSecret(_ name: String) -> Bool {
        let normalized = String(name.lowercased().unicodeScalars.filter { $0 != "_" && $0 != "-" })
        return secretNames.contains(normalized) || secretSuffixes.contains { normalized.hasSuffix($0) }
    }

    static func redacted(_ object: [String: JSONValue]) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (key, value) in object where !isSecret(key) { result[key] = redacted(value) }
        return result
    }

    static func redacted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object): return .object(redacted(object))
        case .array(let values): return .array(values.map(redacted))
        default: return value
        }
    }
}
