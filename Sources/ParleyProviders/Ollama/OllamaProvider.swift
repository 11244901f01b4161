import AsyncHTTPClient
import Foundation
import NIOHTTP1
import ParleyCore

/// An Ollama server, through its native API (`/api/tags`, `/api/chat`, `/api/embed`).
public struct OllamaProvider: EmbeddingProvider {
    public let name: String
    let root: String
    let headers: HTTPHeaders
    let client: UpstreamClient

    /// - Parameter baseURL: the server's root (`http://localhost:11434`).
    public init(name: String, baseURL: String, apiKey: String? = nil, client: UpstreamClient) {
        self.name = name
        self.root = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        var headers = HTTPHeaders()
        if let apiKey, !apiKey.isEmpty { headers.add(name: "authorization", value: "Bearer \(apiKey)") }
        self.headers = headers
        self.client = client
    }

    private func errorDecoder(status: Int, body: Data) -> ParleyError {
        struct Wire: Decodable { var error: String? }
        let message = (try? JSONDecoder().decode(Wire.self, from: body))?.error ?? String(decoding: body.prefix(500), as: UTF8.self)
        if status >= 500 {
            return .upstream(
                status: 502, message: "The provider '\(name)' failed with status \(status): \(message)", type: "api_error",
                code: "upstream_error")
        }
        return .upstream(status: status, message: message, code: status == 404 ? "model_not_found" : nil)
    }

    public func listModels() async throws -> [ModelInfo] {
        let response = try await client.send(.GET, "\(root)/api/tags", headers: headers, provider: name, errorDecoder: errorDecoder)
        let data = try await UpstreamClient.collect(response.body, limit: 8 * 1024 * 1024, provider: name, timeouts: client.timeouts)
        struct Wire: Decodable {
            struct Model: Decodable {
                struct Details: Decodable {
                    var format: String?
                    var family: String?
                    var parameter_size: String?
                    var quantization_level: String?
                }
                var name: String
                var size: Int64?
                var digest: String?
                var details: Details?
            }
            var models: [Model]
        }
        guard let wire = try? JSONDecoder().decode(Wire.self, from: data) else {
            throw ParleyError.upstream(
                status: 502, message: "The provider '\(name)' sent a malformed model list.", type: "api_error",
                code: "upstream_malformed_response")
        }
        return wire.models.map { model in
            ModelInfo(
                name: model.name, provider: name, ownedBy: "ollama", capabilities: [.chat, .embeddings, .tools],
                details: ModelDetails(
                    format: model.details?.format, family: model.details?.family,
                    parameterSize: model.details?.parameter_size, quantizationLevel: model.details?.quantization_level,
                    sizeBytes: model.size, digest: model.digest))
        }
    }

    public func chat(_ request: ChatRequest) async throws -> AsyncThrowingStream<ChatEvent, any Error> {
        LineEventStream.events(
            from: try await send(request), decoder: OllamaStreamDecoder(provider: name), provider: name, timeouts: client.timeouts)
    }

    public func chatInBatches(_ request: ChatRequest) async throws -> AsyncThrowingStream<[ChatEvent], any Error> {
        LineEventStream.batches(
            from: try await send(request), decoder: OllamaStreamDecoder(provider: name), provider: name, timeouts: client.timeouts)
    }

    /// Sends a chat; returns its body (NDJSON, streamed or not) once the head has come.
    private func send(_ request: ChatRequest) async throws -> UpstreamBody {
        let body = try OllamaRequestEncoder.encode(request, provider: name)
        return try await client.send(
            .POST, "\(root)/api/chat", headers: headers, json: body.jsonBytes(), provider: name, errorDecoder: errorDecoder
        ).body
    }

    public func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResult {
        var body: [String: JSONValue] = ["model": .string(request.model), "input": .array(request.input.map { .string($0) })]
        if let dimensions = request.dimensions { body["dimensions"] = .number(Double(dimensions)) }
        let response = try await client.send(
            .POST, "\(root)/api/embed", headers: headers, json: JSONValue.object(body).jsonBytes(), provider: name,
            errorDecoder: errorDecoder)
        let data = try await UpstreamClient.collect(response.body, limit: client.maxBufferedBody, provider: name, timeouts: client.timeouts)
        struct Wire: Decodable {
            var embeddings: [[Float]]
            var prompt_eval_count: Int?
        }
        guard let wire = try? JSONDecoder().decode(Wire.self, from: data) else {
            throw ParleyError.upstream(
                status: 502, message: "The provider '\(name)' sent a malformed embeddings response.", type: "api_error",
                code: "upstream_malformed_response")
        }
        return EmbeddingResult(vectors: wire.embeddings, promptTokens: wire.prompt_eval_count ?? 0)
    }
}
