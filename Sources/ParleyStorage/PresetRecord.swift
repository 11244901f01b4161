import ParleyCore

/// A named set of parameters for one model and one user; at most one per model is the default.
public struct PresetRecord: Sendable, Hashable, Codable {
    public var id: String
    public var ownerID: String
    public var model: String
    public var name: String
    /// `system_prompt`, `temperature`, `top_p`, `max_tokens`, `stop`.
    public var parameters: [String: JSONValue]
    public var isDefault: Bool
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, model, name, parameters
        case ownerID = "owner_id"
        case isDefault = "is_default"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One instruction a user sent, and what came of it.
public struct InstructionRecord: Sendable, Hashable, Codable {
    public var id: String
    public var userID: String
    /// `chat.create`, `message.send`, `message.regenerate`, `message.edit`, `provider.update`, ...
    public var action: String
    public var chatID: String?
    public var model: String?
    /// What was asked, as sent (a JSON object).
    public var detail: JSONValue
    /// `ok`, or the error.
    public var outcome: String
    public var createdAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, action, model, detail, outcome
        case userID = "user_id"
        case chatID = "chat_id"
        case createdAt = "created_at"
    }
}

/// One page of a listing and the cursor of the next one (nil on the last page).
public struct Page<Item: Sendable & Encodable>: Sendable, Encodable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }
}
