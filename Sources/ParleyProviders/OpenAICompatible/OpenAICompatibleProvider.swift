import Foundation
import NIOHTTP1
import ParleyCore

/// OpenAI itself and every server that speaks its API: LocalAI, vLLM, LM Studio, llama.cpp's
/// server, Text Generation WebUI.
public struct OpenAICompatibleProvider: EmbeddingProvider {
    public let name: String
    let wire: OpenAIWireClient

    /// - Parameters:
    ///   - baseURL: the API root, including `/v1` (`https://api.openai.com/v1`).
    ///   - apiKey: sent as a Bearer token when given.
    public init(name: String, baseURL: String, apiKey: String?, headers: [String: String] = [:], client: UpstreamClient) {
        self.name = name
        let root = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        var httpHeaders = HTTPHeaders(headers.map { ($0.key, $0.value) })
        if let apiKey, !apiKey.isEmpty { httpHeaders.replaceOrAdd(name: "authorization", value: "Bearer \(apiKey)") }
        self.wire = OpenAIWireClient(
            provider: name,
            endpoint: .init(
                chatURL: { _ in "\(root)/chat/completions" },
                embeddingsURL: { _ in "\(root)/embeddings" },
                modelsURL: "\(root)/models",
                headers: httpHeaders,
                sendsModel: true),
            client: client)
    }

    public func listModels() async throws -> [ModelInfo] {
        try await wire.listModels().map { ModelInfo(name: $0, provider: name, capabilities: [.chat, .tools]) }
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
