import Crypto
import Foundation
import ParleyCore
import SQLKit

/// The secrets of API keys and sessions: random, shown once, stored only as their SHA-256. They carry
/// 256 bits of chance, so a fast hash is enough (no one can guess one to match a hash), and checking a
/// key costs a hash, not a bcrypt.
public enum Secrets {
    public static let apiKeyPrefix = "pk_"

    /// 32 random bytes in URL-safe base64, after `prefix`.
    public static func make(prefix: String = "") -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return prefix + bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of a secret: SHA-256 in hex. (On every request with a key: written to allocate once.)
    public static func hash(_ secret: String) -> String {
        hex(SHA256.hash(data: Data(secret.utf8)))
    }

    /// A SHA-256 digest (32 bytes) in lower-case hex.
    public static func hex(_ digest: some Sequence<UInt8>) -> String {
        String(unsafeUninitializedCapacity: SHA256.byteCount * 2) { buffer in
            var index = 0
            for byte in digest {
                buffer[index] = hexDigits[Int(byte >> 4)]
                buffer[index + 1] = hexDigits[Int(byte & 0x0f)]
                index += 2
            }
            return index
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}

extension Store {
    /// Makes a key for a user; the secret is in the result and nowhere else.
    public func createAPIKey(userID: String, _ draft: NewAPIKey) async throws -> (key: APIKeyRecord, secret: String) {
        guard (1...100).contains(draft.name.count) else {
            throw ParleyError.badRequest("name: must be 1 to 100 characters", param: "name")
        }
        if let rate = draft.requestsPerMinute, rate < 1 {
            throw ParleyError.badRequest("requests_per_minute: must be at least 1", param: "requests_per_minute")
        }
        if let tokens = draft.dailyTokens, tokens < 1 {
            throw ParleyError.badRequest("daily_tokens: must be at least 1", param: "daily_tokens")
        }
        let now = Clock.nowMilliseconds()
        if let expires = draft.expiresAt, expires.milliseconds <= now {
            throw ParleyError.badRequest("expires_at: must be in the future", param: "expires_at")
        }
        _ = try await user(id: userID)
        let secret = Secrets.make(prefix: Secrets.apiKeyPrefix)
        let id = Identifier.make(at: now)
        try await sql.raw(
            """
            INSERT INTO api_keys (id, user_id, name, prefix, secret_hash, scopes, models, requests_per_minute,
                daily_tokens, expires_ms, created_ms)
            VALUES (\(bind: id), \(bind: userID), \(bind: draft.name), \(bind: String(secret.prefix(10))),
                \(bind: Secrets.hash(secret)), \(bind: JSONText.encode(draft.scopes.map(\.rawValue))),
                \(bind: JSONText.encode(draft.models)), \(bind: draft.requestsPerMinute), \(bind: draft.dailyTokens),
                \(bind: draft.expiresAt?.milliseconds), \(bind: now))
            """
        ).run()
        return (try await apiKey(id: id, userID: userID), secret)
    }

    /// A user's keys, newest first; every user's when `userID` is nil (admins).
    public func apiKeys(userID: String?) async throws -> [APIKeyRecord] {
        let rows: [any SQLRow]
        if let userID {
            rows = try await sql.raw(
                "SELECT * FROM api_keys WHERE user_id = \(bind: userID) ORDER BY created_ms DESC, id DESC"
            ).all()
        } else {
            rows = try await sql.raw("SELECT * FROM api_keys ORDER BY created_ms DESC, id DESC").all()
        }
        return try rows.map(APIKeyRecord.init(row:))
    }

    /// One key of a user (any user's when `userID` is nil); 404 otherwise.
    public func apiKey(id: String, userID: String?) async throws -> APIKeyRecord {
        let row = try await sql.raw("SELECT * FROM api_keys WHERE id = \(bind: id)").first()
        guard let row, try userID == nil || row.string("user_id") == userID else {
            throw ParleyError.notFound("no API key with id '\(id)'")
        }
        return try APIKeyRecord(row: row)
    }

    /// Revokes a key at once; revoking a revoked key changes nothing.
    public func revokeAPIKey(id: String, userID: String?) async throws -> APIKeyRecord {
        _ = try await apiKey(id: id, userID: userID)
        try await sql.raw(
            "UPDATE api_keys SET revoked_ms = \(bind: Clock.nowMilliseconds()) WHERE id = \(bind: id) AND revoked_ms IS NULL"
        ).run()
        return try await apiKey(id: id, userID: userID)
    }

    /// The key whose secret hashes to `secretHash` and its live user, whether or not the key is still usable.
    public func apiKeyCredential(secretHash: String) async throws -> (key: APIKeyRecord, user: UserRecord)? {
        guard let row = try await sql.raw("SELECT * FROM api_keys WHERE secret_hash = \(bind: secretHash)").first()
        else { return nil }
        let key = try APIKeyRecord(row: row)
        guard let user = try? await user(id: key.userID) else { return nil }
        return (key, user)
    }

    /// Notes when a key was last used (callers do this at most once a minute per key).
    public func touchAPIKey(id: String, at time: Timestamp) async throws {
        try await sql.raw("UPDATE api_keys SET last_used_ms = \(bind: time.milliseconds) WHERE id = \(bind: id)").run()
    }
}

extension APIKeyRecord {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.string("id"), userID: try row.string("user_id"), name: try row.string("name"),
            prefix: try row.string("prefix"),
            scopes: try row.stringArray("scopes").compactMap(APIKeyScope.init(rawValue:)),
            models: try row.stringArray("models"),
            requestsPerMinute: try row.optionalInt64("requests_per_minute").map(Int.init),
            dailyTokens: try row.optionalInt64("daily_tokens").map(Int.init),
            expiresAt: try row.optionalInt64("expires_ms").map(Timestamp.init(milliseconds:)),
            createdAt: try row.timestamp("created_ms"),
            lastUsedAt: try row.optionalInt64("last_used_ms").map(Timestamp.init(milliseconds:)),
            revokedAt: try row.optionalInt64("revoked_ms").map(Timestamp.init(milliseconds:)))
    }
}
