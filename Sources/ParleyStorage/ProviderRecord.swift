import ParleyCore

/// A model server in the registry behind the router. Its API key is write-only: it is never encoded.
public struct ProviderRecord: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// `openai-compatible`, `azure-openai`, `ollama` or `embedded`.
    public var kind: String
    public var baseURL: String?
    public var apiKey: String?
    public var apiVersion: String?
    public var deployments: [String]
    /// Other settings of the provider kind (`models_dir`, headers, ...), a JSON object.
    public var options: [String: JSONValue]
    public var enabled: Bool
    /// `config` when it came from parley.yaml, `api` when added at run time.
    public var source: String
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public var hasAPIKey: Bool { !(apiKey ?? "").isEmpty }

    enum CodingKeys: String, CodingKey {
        case id, name, kind, deployments, options, enabled, source
        case baseURL = "base_url"
        case apiVersion = "api_version"
        case hasAPIKey = "has_api_key"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: String, name: String, kind: String, baseURL: String?, apiKey: String?, apiVersion: String?,
        deployments: [String], options: [String: JSONValue], enabled: Bool, source: String, createdAt: Timestamp,
        updatedAt: Timestamp
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.deployments = deployments
        self.options = options
        self.enabled = enabled
        self.source = source
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        kind = try container.decode(String.self, forKey: .kind)
        baseURL = try container.decodeIfPresent(String.self, forKey: .baseURL)
        apiKey = nil
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        deployments = try container.decodeIfPresent([String].self, forKey: .deployments) ?? []
        options = try container.decodeIfPresent([String: JSONValue].self, forKey: .options) ?? [:]
        enabled = try container.decode(Bool.self, forKey: .enabled)
        source = try container.decode(String.self, forKey: .source)
        createdAt = try container.decode(Timestamp.self, forKey: .createdAt)
        updatedAt = try container.decode(Timestamp.self, forKey: .updatedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(baseURL, forKey: .baseURL)
        try container.encode(apiVersion, forKey: .apiVersion)
        try container.encode(deployments, forKey: .deployments)
        try container.encode(options, forKey: .options)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(source, forKey: .source)
        try container.encode(hasAPIKey, forKey: .hasAPIKey)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// A provider to add, or the changes to one (nil leaves a field as it is; an empty API key removes it).
public struct ProviderDraft: Sendable {
    public var name: String?
    public var kind: String?
    public var baseURL: String??
    public var apiKey: String??
    public var apiVersion: String??
    public var deployments: [String]?
    public var options: [String: JSONValue]?
    public var enabled: Bool?

    public init(
        name: String? = nil, kind: String? = nil, baseURL: String?? = nil, apiKey: String?? = nil,
        apiVersion: String?? = nil, deployments: [String]? = nil, options: [String: JSONValue]? = nil,
        enabled: Bool? = nil
    ) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.deployments = deployments
        self.options = options
        self.enabled = enabled
    }
}

/// A model's entry in the registry: whether it is offered, and under which display name.
public struct ModelEntry: Sendable, Hashable, Codable {
    public var id: String
    public var provider: String
    public var name: String
    public var displayName: String?
    public var enabled: Bool
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, provider, name, enabled
        case displayName = "display_name"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// Another name for a model (`gpt-3.5-turbo` → `ollama/mistral`).
public struct AliasRecord: Sendable, Hashable, Codable {
    public var alias: String
    public var target: String
    public var source: String
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case alias, target, source
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
