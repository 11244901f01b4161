import ParleyCore

public enum UserRole: String, Sendable, Codable, CaseIterable {
    case admin
    case user
}

/// A person who uses Parley.
public struct UserRecord: Sendable, Hashable, Codable {
    public var id: String
    /// Unique regardless of case; see ``Usernames/validate(_:)``.
    public var username: String
    public var displayName: String
    /// Free-form profile fields (avatar URL, e-mail, locale, ...), a JSON object.
    public var profile: JSONValue
    public var role: UserRole
    /// Whether every instruction this user sends is kept as an instruction record.
    public var recordInstructions: Bool
    /// The user's own request rate limit (per minute); nil: the configured default.
    public var requestsPerMinute: Int?
    /// The user's own daily token budget; nil: the configured default.
    public var dailyTokens: Int?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, username, profile, role
        case displayName = "display_name"
        case recordInstructions = "record_instructions"
        case requestsPerMinute = "requests_per_minute"
        case dailyTokens = "daily_tokens"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// What may change on a user; nil leaves a field as it is.
public struct UserChanges: Sendable {
    public var username: String?
    public var displayName: String?
    public var profile: JSONValue?
    public var role: UserRole?
    public var recordInstructions: Bool?
    public var passwordHash: String??
    public var requestsPerMinute: Int??
    public var dailyTokens: Int??

    public init(
        username: String? = nil, displayName: String? = nil, profile: JSONValue? = nil, role: UserRole? = nil,
        recordInstructions: Bool? = nil, passwordHash: String?? = nil, requestsPerMinute: Int?? = nil,
        dailyTokens: Int?? = nil
    ) {
        self.username = username
        self.displayName = displayName
        self.profile = profile
        self.role = role
        self.recordInstructions = recordInstructions
        self.passwordHash = passwordHash
        self.requestsPerMinute = requestsPerMinute
        self.dailyTokens = dailyTokens
    }
}

/// The rules for usernames: 1 to 64 characters of letters, digits, `.`, `_`, `-` and `@`, starting with
/// a letter or digit; compared without regard to case.
public enum Usernames {
    public static func validate(_ username: String, param: String = "username") throws {
        guard (1...64).contains(username.count) else {
            throw ParleyError.badRequest("\(param): must be 1 to 64 characters", param: param)
        }
        guard let first = username.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first)
        else {
            throw ParleyError.badRequest("\(param): must start with a letter or a digit", param: param)
        }
        let allowed = username.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_@".unicodeScalars.contains($0)
        }
        guard allowed else {
            throw ParleyError.badRequest("\(param): only letters, digits, '.', '-', '_' and '@' are allowed", param: param)
        }
    }

    static func key(_ username: String) -> String { username.lowercased() }
}
