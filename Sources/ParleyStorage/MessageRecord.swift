import ParleyCore

public enum MessageStatus: String, Sendable, Codable, CaseIterable {
    /// The reply is still arriving.
    case streaming
    case complete
    /// The client left or the stream stopped early: what arrived is kept.
    case partial
    case error
}

public struct TokenUsage: Sendable, Hashable, Codable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int { promptTokens + completionTokens }

    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        promptTokens = try container.decodeIfPresent(Int.self, forKey: .promptTokens) ?? 0
        completionTokens = try container.decodeIfPresent(Int.self, forKey: .completionTokens) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(promptTokens, forKey: .promptTokens)
        try container.encode(completionTokens, forKey: .completionTokens)
        try container.encode(totalTokens, forKey: .totalTokens)
    }
}

/// One node of a chat's message tree. Regenerating makes a sibling of the reply; editing a user
/// message makes a sibling of that message (a new branch).
public struct MessageRecord: Sendable, Hashable, Codable {
    public var id: String
    public var chatID: String
    public var parentID: String?
    public var authorID: String?
    public var role: ChatRole
    /// The text of the message (the text parts joined, for multi-part content).
    public var content: String
    /// Content parts as sent (`[{"type": "text", ...}, {"type": "image_url", ...}]`), when more than text.
    public var parts: JSONValue?
    public var model: String?
    public var provider: String?
    public var parameters: JSONValue?
    public var usage: TokenUsage?
    public var latencyMs: Int64?
    public var status: MessageStatus
    public var error: String?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    /// In a branch view: the ids of this message and its siblings, oldest first.
    public var siblingIDs: [String]?
    /// The sources a reply drew on (`[{"index", "document_id", "collection_id", "title", "url", "page", "row",
    /// "heading", "snippet"}]`), when knowledge collections were attached.
    public var citations: JSONValue? = nil

    enum CodingKeys: String, CodingKey {
        case id, role, content, parts, model, provider, parameters, usage, status, error, citations
        case chatID = "chat_id"
        case parentID = "parent_id"
        case authorID = "author_id"
        case latencyMs = "latency_ms"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case siblingIDs = "sibling_ids"
    }

    // Written out rather than synthesised: plain strings for the role, the status and the times spare the
    // encoder a nested value each, and optionals unwrapped here take the encoder's non-generic paths. A long
    // chat has thousands of messages.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(chatID, forKey: .chatID)
        if let parentID { try container.encode(parentID, forKey: .parentID) }
        if let authorID { try container.encode(authorID, forKey: .authorID) }
        try container.encode(role.rawValue, forKey: .role)
        try container.encode(content, forKey: .content)
        if let parts { try container.encode(parts, forKey: .parts) }
        if let model { try container.encode(model, forKey: .model) }
        if let provider { try container.encode(provider, forKey: .provider) }
        if let parameters { try container.encode(parameters, forKey: .parameters) }
        if let usage { try container.encode(usage, forKey: .usage) }
        if let latencyMs { try container.encode(latencyMs, forKey: .latencyMs) }
        try container.encode(status.rawValue, forKey: .status)
        if let error { try container.encode(error, forKey: .error) }
        try container.encode(createdAt.iso8601, forKey: .createdAt)
        try container.encode(updatedAt.iso8601, forKey: .updatedAt)
        if let siblingIDs { try container.encode(siblingIDs, forKey: .siblingIDs) }
        if let citations { try container.encode(citations, forKey: .citations) }
    }
}

/// A message to store.
public struct NewMessage: Sendable {
    public var chatID: String
    public var parentID: String?
    public var authorID: String?
    public var role: ChatRole
    public var content: String
    public var parts: JSONValue?
    public var model: String?
    public var provider: String?
    public var parameters: JSONValue?
    public var usage: TokenUsage?
    public var latencyMs: Int64?
    public var status: MessageStatus
    public var error: String?
    /// Set when importing: the original time.
    public var createdAt: Timestamp?
    /// The sources retrieved for a reply (see ``MessageRecord/citations``).
    public var citations: JSONValue?

    public init(
        chatID: String, parentID: String?, authorID: String?, role: ChatRole, content: String, parts: JSONValue? = nil,
        model: String? = nil, provider: String? = nil, parameters: JSONValue? = nil, usage: TokenUsage? = nil,
        latencyMs: Int64? = nil, status: MessageStatus = .complete, error: String? = nil, createdAt: Timestamp? = nil,
        citations: JSONValue? = nil
    ) {
        self.citations = citations
        self.chatID = chatID
        self.parentID = parentID
        self.authorID = authorID
        self.role = role
        self.content = content
        self.parts = parts
        self.model = model
        self.provider = provider
        self.parameters = parameters
        self.usage = usage
        self.latencyMs = latencyMs
        self.status = status
        self.error = error
        self.createdAt = createdAt
    }
}

/// A chat's messages: the whole tree, and the active branch through it.
public struct MessageTree: Sendable {
    /// Every message, oldest first.
    public var messages: [MessageRecord]

    public init(messages: [MessageRecord]) { self.messages = messages }

    /// The messages from the root to `leafID` (or to the newest leaf), each with its siblings' ids.
    public func branch(endingAt leafID: String?) -> [MessageRecord] {
        guard !messages.isEmpty else { return [] }
        var indexByID: [String: Int] = [:]
        indexByID.reserveCapacity(messages.count)
        for index in messages.indices { indexByID[messages[index].id] = index }
        // Up from the leaf to the root; the step limit stops a cycle, which only corrupt data could make.
        var path: [Int] = []
        var index = leafID.flatMap { indexByID[$0] } ?? messages.count - 1
        while path.count < messages.count {
            path.append(index)
            guard let parent = messages[index].parentID, let parentIndex = indexByID[parent] else { break }
            index = parentIndex
        }
        path.reverse()
        // One pass over the tree gathers the children of each parent on the path (and the roots).
        var slotByParent: [String: Int] = [:]
        slotByParent.reserveCapacity(path.count)
        for (slot, index) in path.enumerated() { slotByParent[messages[index].parentID ?? ""] = slot }
        var siblings = [[String]](repeating: [], count: path.count)
        for message in messages {
            if let slot = slotByParent[message.parentID ?? ""] { siblings[slot].append(message.id) }
        }
        return path.enumerated().map { slot, index in
            var message = messages[index]
            message.siblingIDs = siblings[slot]
            return message
        }
    }

    /// The newest leaf under `messageID`: following the newest child at each step.
    public func newestLeaf(under messageID: String) -> String {
        var children: [String: String] = [:]
        for message in messages { if let parent = message.parentID { children[parent] = message.id } }
        var current = messageID
        var steps = 0
        while let next = children[current], steps <= messages.count {
            current = next
            steps += 1
        }
        return current
    }
}
