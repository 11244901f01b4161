import ParleyCore

/// What an API key may be used for. A key with no scopes may do whatever its user may.
public enum APIKeyScope: String, Sendable, Codable, CaseIterable {
    /// Chat completions (`/v1`, `/ollama/api`) and the native API's chats, prompts and presets.
    case chat
    /// Embeddings (`/v1/embeddings`, `/ollama/api/embed`).
    case embeddings
    /// Admin routes, for an admin's key.
    case admin
}

/// An API key as shown to people: never its secret, which exists only in the reply that created it.
public struct APIKeyRecord: Sendable, Hashable, Codable {
    public var id: String
    public var userID: String
    public var name: String
    /// The first characters of the secret, to tell keys apart.
    public var prefix: String
    public var scopes: [APIKeyScope]
    /// Models the key may use (`provider/model`, bare names or aliases); empty: every model.
    public var models: [String]
    public var requestsPerMinute: Int?
    public var dailyTokens: Int?
    public var expiresAt: Timestamp?
    public var createdAt: Timestamp
    public var lastUsedAt: Timestamp?
    public var revokedAt: Timestamp?

    enum CodingKeys: String, CodingKey {
        case id, name, prefix, scopes, models
        case userID = "user_id"
        case requestsPerMinute = "requests_per_minute"
        case dailyTokens = "daily_tokens"
        case expiresAt = "expires_at"
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
    }

    /// Whether the key may be used at `now`.
    public func isUsable(at now: Timestamp) -> Bool {
        revokedAt == nil && (expiresAt.map { $0.milliseconds > now.milliseconds } ?? true)
    }

    /// Whether the key allows `scope` (a key without scopes allows everything its user may do).
    public func allows(_ scope: APIKeyScope) -> Bool {
        scopes.isEmpty || scopes.contains(scope)
    }
}

/// What a new key is made with.
public struct NewAPIKey: Sendable {
    public var name: String
    public var scopes: [APIKeyScope]
    public var models: [String]
    public var requestsPerMinute: Int?
    public var dailyTokens: Int?
    public var expiresAt: Timestamp?

    public init(
        name: String, scopes: [APIKeyScope] = [], models: [String] = [], requestsPerMinute: Int? = nil,
        dailyTokens: Int? = nil, expiresAt: Timestamp? = nil
    ) {
        self.name = name
        self.scopes = scopes
        self.models = models
        self.requestsPerMinute = requestsPerMinute
        self.dailyTokens = dailyTokens
        self.expiresAt = expiresAt
    }
}
