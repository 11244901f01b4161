/// A model a provider offers.
public struct ModelInfo: Sendable, Hashable {
    /// The model's name at its provider (`llama3.2:1b`, `gpt-4o-mini`, `smollm2`).
    public var name: String
    /// The name of the provider in Parley's configuration.
    public var provider: String
    public var ownedBy: String
    /// Unix seconds.
    public var created: Int
    public var capabilities: Set<ModelCapability>
    public var details: ModelDetails

    /// The id clients use: `provider/model`.
    public var id: String { "\(provider)/\(name)" }

    public init(
        name: String,
        provider: String,
        ownedBy: String? = nil,
        created: Int = 0,
        capabilities: Set<ModelCapability> = [.chat],
        details: ModelDetails = ModelDetails()
    ) {
        self.name = name
        self.provider = provider
        self.ownedBy = ownedBy ?? provider
        self.created = created
        self.capabilities = capabilities
        self.details = details
    }
}

public enum ModelCapability: String, Sendable, Hashable, Codable {
    case chat
    case embeddings
    case tools
    case vision
}

/// What is known of a model's make-up (shown by Ollama's `/api/show` and `/api/tags`).
public struct ModelDetails: Sendable, Hashable {
    public var format: String?
    public var family: String?
    public var parameterSize: String?
    public var quantizationLevel: String?
    public var contextLength: Int?
    public var sizeBytes: Int64?
    public var digest: String?
    public var chatTemplate: String?

    public init(
        format: String? = nil,
        family: String? = nil,
        parameterSize: String? = nil,
        quantizationLevel: String? = nil,
        contextLength: Int? = nil,
        sizeBytes: Int64? = nil,
        digest: String? = nil,
        chatTemplate: String? = nil
    ) {
        self.format = format
        self.family = family
        self.parameterSize = parameterSize
        self.quantizationLevel = quantizationLevel
        self.contextLength = contextLength
        self.sizeBytes = sizeBytes
        self.digest = digest
        self.chatTemplate = chatTemplate
    }
}
