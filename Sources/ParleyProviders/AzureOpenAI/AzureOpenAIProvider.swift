import Foundation
import NIOHTTP1
import ParleyCore

/// Azure OpenAI: one URL per deployment (`/openai/deployments/{name}/...?api-version=`), the key in
/// an `api-key` header, and the deployments listed in the configuration (Azure's data plane has no
/// model listing for API keys).
public struct AzureOpenAIProvider: EmbeddingProvider {
    public let name: String
    let deployments: [String]
    let wire: OpenAIWireClient

    /// - Parameters:
    ///   - baseURL: the resource's endpoint (`https://NAME.openai.azure.com`).
    ///   - apiVersion: Azure's `api-version` (`2024-10-21`).
    public init(name: String, baseURL: String, apiKey: String?, apiVersion: String, deployments: [String], client: UpstreamClient) {
        self.name = name
        self.deployments = deployments
        let root = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let version = apiVersion.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? apiVersion
        @Sendable func url(_ deployment: String, _ operation: String) -> String {
            let path = deployment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? deployment
            return "\(root)/openai/deployments/\(path)/\(operation)?api-version=\(version)"
        }
        var headers = HTTPHeaders()
        if let apiKey, !apiKey.isEmpty { headers.add(name: "api-key", value: apiKey) }
        self.wire = OpenAIWireClient(
            provider: name,
            endpoint: .init(
                chatURL: { url($0, "chat/completions") },
                embeddingsURL: { url($0, "embeddings") },
                modelsURL: nil,
                headers: headers,
                sendsModel: false),
            client: client)
    }

    public func listModels() async throws -> [ModelInfo] {
        deployments.map { ModelInfo(name: $0, provider: name, ownedBy: "azure", capabilities: [.chat, .tools, .embeddings]) }
    }

    public func chat(_ request: ChatRequest) async throws -> AsyncThrowingStream<ChatEvent, any Error> {
        try await wire.chat(request)
    }

    public func answer(_ request: ChatRequest) async throws -> [ChatEvent] {
        try await wire.answer(request)
    }

    public func chatInBatches(_ request: ChatRequest) async throws -> AsyncThrowingStream<[ChatEvent], any Error> {
        try await wire.chatInBatches(request)
    }

    public func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResult {
        try await wire.embed(request)
    }
}
