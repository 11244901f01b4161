/// One model server in `parley.yaml`'s `providers` list.
public struct ProviderConfiguration: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The built-in GGUF engine, serving the models directory.
        case embedded
        case ollama
        case openAICompatible = "openai-compatible"
        case azureOpenAI = "azure-openai"
    }

    /// Unique; the first half of `provider/model` ids.
    public var name: String
    public var kind: Kind
    public var baseURL: String?
    /// Resolved secret (after `${ENV_VAR}` substitution). Never logged or returned.
    public var apiKey: String?
    /// Azure's `api-version`.
    public var apiVersion: String?
    /// Azure deployments to offer.
    public var deployments: [String]
    /// Extra headers sent upstream (OpenAI-compatible servers behind gateways).
    public var headers: [String: String]
    /// Embedded: where the GGUF files are (default `<data>/models`).
    public var modelsDirectory: String?
    public var enabled: Bool

    public init(
        name: String,
        kind: Kind,
        baseURL: String? = nil,
        apiKey: String? = nil,
        apiVersion: String? = nil,
        deployments: [String] = [],
        headers: [String: String] = [:],
        modelsDirectory: String? = nil,
        enabled: Bool = true
    ) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.deployments = deployments
        self.headers = headers
        self.modelsDirectory = modelsDirectory
        self.enabled = enabled
    }
}
