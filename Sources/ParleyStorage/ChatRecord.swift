import ParleyCore

/// A conversation: its title, settings and the members who may see it. Pinned and archived are each
/// member's own.
public struct ChatRecord: Sendable, Hashable, Codable {
    public var id: String
    public var ownerID: String
    public var title: String
    public var settings: ChatSettings
    public var tags: [String]
    public var pinned: Bool
    public var archived: Bool
    /// The last message of the branch the chat shows.
    public var activeLeafID: String?
    public var messageCount: Int
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, title, settings, tags, pinned, archived
        case ownerID = "owner_id"
        case activeLeafID = "active_leaf_id"
        case messageCount = "message_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// How a chat talks to its model: which model, the system prompt, and sampling parameters
/// (`temperature`, `top_p`, `max_tokens`, `stop`, `seed`, ...).
public struct ChatSettings: Sendable, Hashable, Codable {
    public var model: String?
    public var systemPrompt: String?
    public var parameters: [String: JSONValue]

    public init(model: String? = nil, systemPrompt: String? = nil, parameters: [String: JSONValue] = [:]) {
        self.model = model
        self.systemPrompt = systemPrompt
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case model, parameters
        case systemPrompt = "system_prompt"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        systemPrompt = try container.decodeIfPresent(String.self, forKey: .systemPrompt)
        parameters = try container.decodeIfPresent([String: JSONValue].self, forKey: .parameters) ?? [:]
    }
}

/// A member of a chat.
public struct ChatMember: Sendable, Hashable, Codable {
    public var userID: String
    public var username: String
    public var role: String

    enum CodingKeys: String, CodingKey {
        case username, role
        case userID = "user_id"
    }
}

/// What may change on a chat; nil leaves a field as it is.
public struct ChatChanges: Sendable {
    public var title: String?
    public var settings: ChatSettings?
    public var tags: [String]?
    public var pinned: Bool?
    public var archived: Bool?
    public var activeLeafID: String?

    public init(
        title: String? = nil, settings: ChatSettings? = nil, tags: [String]? = nil, pinned: Bool? = nil,
        archived: Bool? = nil, activeLeafID: String? = nil
    ) {
        self.title = title
        self.settings = settings
        self.tags = tags
        self.pinned = pinned
        self.archived = archived
        self.activeLeafID = activeLeafID
    }
}
