import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ParleyCore

/// Speaks OpenAI's chat, embeddings and models API to one upstream. The OpenAI-compatible and the
/// Azure OpenAI providers differ only in their URLs and headers, given here as an ``Endpoint``.
struct OpenAIWireClient: Sendable {
    struct Endpoint: Sendable {
        /// URL of `chat/completions` for a model.
        var chatURL: @Sendable (_ model: String) -> String
        var embeddingsURL: @Sendable (_ model: String) -> String
        /// `nil` when the upstream has no model listing.
        var modelsURL: String?
        var headers: HTTPHeaders
        /// Whether the request body names the model (Azure names the deployment in the URL).
        var sendsModel: Bool
    }

    let provider: String
    let endpoint: Endpoint
    let client: UpstreamClient

    func chat(_ request: ChatRequest) async throws -> AsyncThrowingStream<ChatEvent, any Error> {
        switch try await send(request) {
        case .whole(let events):
            return AsyncThrowingStream { continuation in
                for event in events { continuation.yield(event) }
                continuation.finish()
            }
        case .stream(let body):
            return LineEventStream.events(
                from: body, decoder: OpenAIStreamDecoder(provider: provider), provider: provider, timeouts: client.timeouts)
        }
    }

    func chatInBatches(_ request: ChatRequest) async throws -> AsyncThrowingStream<[ChatEvent], any Error> {
        switch try await send(request) {
        case .whole(let events):
            return AsyncThrowingStream { continuation in
                continuation.yield(events)
                continuation.finish()
            }
        case .stream(let body):
            return LineEventStream.batches(
                from: body, decoder: OpenAIStreamDecoder(provider: provider), provider: provider, timeouts: client.timeouts)
        }
    }

    func answer(_ request: ChatRequest) async throws -> [ChatEvent] {
        var events: [ChatEvent] = []
        for try await batch in try await chatInBatches(request) { events += batch }
        return events
    }

    private enum Answer {
        /// A whole answer: asked for (`stream: false`), or from a server that ignores `stream: true`.
        case whole([ChatEvent])
        /// A stream's body: asked for, or from a server that streams whatever it is asked.
        case stream(UpstreamBody)
    }

    private func send(_ request: ChatRequest) async throws -> Answer {
        let body = OpenAIRequestEncoder.encode(request, model: endpoint.sendsModel ? request.model : nil)
        var headers = endpoint.headers
        headers.add(name: "accept", value: request.stream ? "text/event-stream" : "application/json")
        let response = try await client.send(
            .POST, endpoint.chatURL(request.model), headers: headers, json: body.jsonBytes(), provider: provider,
            errorDecoder: { status, body in OpenAIErrorBody.parleyError(status: status, body: body, provider: provider) })
        let contentType = response.headers.first(name: "content-type") ?? ""
        if contentType.hasPrefix("application/json") {
            let data = try await UpstreamClient.collect(
                response.body, limit: client.maxBufferedBody, provider: provider, timeouts: client.timeouts)
            return .whole(try OpenAICompletionDecoder.events(from: data, provider: provider))
        }
        return .stream(response.body)
    }

    func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResult {
        var body: [String: JSONValue] = ["input": .array(request.input.map { .string($0) })]
        if endpoint.sendsModel { body["model"] = .string(request.model) }
        if let dimensions = request.dimensions { body["dimensions"] = .number(Double(dimensions)) }
        if let user = request.user { body["user"] = .string(user) }
        body["encoding_format"] = "float"
        let response = try await client.send(
            .POST, endpoint.embeddingsURL(request.model), headers: endpoint.headers, json: JSONValue.object(body).jsonBytes(),
            provider: provider,
            errorDecoder: { status, body in OpenAIErrorBody.parleyError(status: status, body: body, provider: provider) })
        let data = try await UpstreamClient.collect(
            response.body, limit: client.maxBufferedBody, provider: provider, timeouts: client.timeouts)
        struct Wire: Decodable {
            struct Item: Decodable {
                var index: Int?
                var embedding: [Float]
            }
            var data: [Item]
            var usage: OpenAIUsage?
        }
        guard let wire = try? JSONDecoder().decode(Wire.self, from: data) else {
            throw ParleyError.upstream(
                status: 502, message: "The provider '\(provider)' sent a malformed embeddings response.", type: "api_error",
                code: "upstream_malformed_response")
        }
        let ordered = wire.data.enumerated().sorted { ($0.element.index ?? $0.offset) < ($1.element.index ?? $1.offset) }
        return EmbeddingResult(vectors: ordered.map(\.element.embedding), promptTokens: wire.usage?.prompt_tokens ?? 0)
    }

    func listModels() async throws -> [String] {
        guard let url = endpoint.modelsURL else { return [] }
        let response = try await client.send(
            .GET, url, headers: endpoint.headers, provider: provider,
            errorDecoder: { status, body in OpenAIErrorBody.parleyError(status: status, body: body, provider: provider) })
        let data = try await UpstreamClient.collect(response.body, limit: 8 * 1024 * 1024, provider: provider, timeouts: client.timeouts)
        struct Wire: Decodable {
            struct Model: Decodable { var id: String }
            var data: [Model]
        }
        guard let wire = try? JSONDecoder().decode(Wire.self, from: data) else {
            throw ParleyError.upstream(
                status: 502, message: "The provider '\(provider)' sent a malformed model list.", type: "api_error",
                code: "upstream_malformed_response")
        }
        return wire.data.map(\.id)
    }
}

/// Reads a non-streamed `chat.completion` body into events (for servers that ignore `stream`).
enum OpenAICompletionDecoder {
    static func events(from data: Data, provider: String) throws -> [ChatEvent] {
        guard let completion = try? JSONValue.parse(data, keeping: OpenAIStreamDecoder.readMembers), let choices = completion["choices"]?.arrayValue else {
            throw ParleyError.upstream(
                status: 502, message: "The provider '\(provider)' sent a malformed response.", type: "api_error",
                code: "upstream_malformed_response")
        }
        var events: [ChatEvent] = []
        if let choice = choices.first {
            let message = choice["message"]
            if let content = message?["content"]?.stringValue, !content.isEmpty { events.append(.delta(content)) }
            for (index, call) in (message?["tool_calls"]?.arrayValue ?? []).enumerated() {
                guard let function = call["function"], let name = function["name"]?.stringValue else { continue }
                events.append(
                    .toolCall(
                        ToolCallDelta(
                            index: index, id: call["id"]?.stringValue, name: name,
                            arguments: function["arguments"]?.stringValue ?? "")))
            }
            events.append(.finish(FinishReason(openAI: choice["finish_reason"]?.stringValue ?? "stop")))
        }
        if let usage = Usage(openAI: completion["usage"]) { events.append(.usage(usage)) }
        return events
    }
}
