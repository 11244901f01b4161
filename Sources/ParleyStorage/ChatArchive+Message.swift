import ParleyCore

extension ChatArchive {
    /// One message of an archived chat's tree. Its JSON form is the one in Parley's chat export.
    public struct Message: Sendable, Hashable {
        /// The message's id in the source; unique within the archive.
        public var id: String
        public var parentID: String?
        public var role: ChatRole
        /// The text of the message, Markdown as written.
        public var content: String
        /// Content parts (`[{"type": "text", ...}, {"type": "image_url", ...}]`), when more than text.
        public var parts: JSONValue?
        public var model: String?
        public var provider: String?
        public var parameters: JSONValue?
        public var usage: TokenUsage?
        public var latencyMs: Int64?
        public var status: MessageStatus
        public var error: String?
        public var createdAt: Timestamp

        public init(
            id: String, parentID: String?, role: ChatRole, content: String, parts: JSONValue? = nil,
            model: String? = nil, provider: String? = nil, parameters: JSONValue? = nil, usage: TokenUsage? = nil,
            latencyMs: Int64? = nil, status: MessageStatus = .complete, error: String? = nil, createdAt: Timestamp
        ) {
            self.id = id
            self.parentID = parentID
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

        /// A stored message, without its author and with secrets left out of its parameters.
        public init(record: MessageRecord) {
            self.init(
                id: record.id, parentID: record.parentID, role: record.role, content: record.content,
                parts: record.parts, model: record.model, provider: record.provider,
                parameters: record.parameters.map(SecretRedaction.redacted), usage: record.usage,
                latencyMs: record.latencyMs, status: record.status, error: record.error, createdAt: record.createdAt)
        }
    }
}

extension ChatArchive.Message: Codable {
    enum CodingKeys: String, CodingKey {
        case id, role, content, parts, model, provider, parameters, usage, status, error
        case parentID = "parent_id"
        case latencyMs = "latency_ms"
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        guard !id.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "must not be empty")
        }
        parentID = try container.decodeIfPresent(String.self, forKey: .parentID)
        let roleName = try container.decode(String.self, forKey: .role)
        guard let role = ChatRole(rawValue: roleName) else {
            let known = ChatRole.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                forKey: .role, in: container, debugDescription: "unknown role '\(roleName)' (expected one of \(known))")
        }
        self.role = role
        content = try container.decode(String.self, forKey: .content)
        parts = try container.decodeIfPresent(JSONValue.self, forKey: .parts)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        provider = try container.decodeIfPresent(String.self, forKey: .provider)
        parameters = try container.decodeIfPresent(JSONValue.self, forKey: .parameters)
        usage = try container.decodeIfPresent(TokenUsage.self, forKey: .usage)
        latencyMs = try container.decodeIfPresent(Int64.self, forKey: .latencyMs)
        if let statusName = try container.decodeIfPresent(String.self, forKey: .status) {
            guard let status = MessageStatus(rawValue: statusName) else {
                let known = MessageStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw DecodingError.dataCorruptedError(
                    forKey: .status, in: container,
                    debugDescription: "unknown status '\(statusName)' (expected one of \(known))")
            }
            self.status = status
        } else {
            status = .complete
        }
        error = try container.decodeIfPresent(String.self, forKey: .error)
        createdAt = try container.decode(Timestamp.self, forKey: .createdAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(parentID, forKey: .parentID)
        try container.encode(role, forKey: .role)
        try container.encode(content, forKey: .content)
        try container.encodeIfPresent(parts, forKey: .parts)
        try container.encodeIfPresent(model, forKey: .model)
        try container.encodeIfPresent(provider, forKey: .provider)
        try container.encodeIfPresent(parameters.map(SecretRedaction.redacted), forKey: .parameters)
        try container.encodeIfPresent(usage, forKey: .usage)
        try container.encodeIfPresent(latencyMs, forKey: .latencyMs)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
