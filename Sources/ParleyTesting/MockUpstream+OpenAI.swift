import Foundation
import Hummingbird
import ParleyCore

/// The mock's OpenAI routes (`/v1/...`) and Azure OpenAI routes (`/openai/deployments/...`).
extension MockUpstream {
    struct DroppedConnection: Error {}

    func addOpenAIRoutes(to router: Router<BasicRequestContext>) {
        let group = router.group("v1")
        group.get("models") { request, _ -> Response in
            if let denied = checkBearer(request) { return denied }
            let data: [JSONValue] = configuration.openAIModels.map {
                ["id": .string($0), "object": "model", "created": 1_700_000_000, "owned_by": "mock"]
            }
            return Self.json(["object": "list", "data": .array(data)])
        }
        group.post("chat/completions") { request, _ -> Response in
            if let denied = checkBearer(request) { return denied }
            var request = request
            let body = try await Self.parseBody(&request)
            let model = body["model"]?.stringValue ?? ""
            guard configuration.openAIModels.contains(model) else {
                return Self.openAIError(
                    status: .notFound, message: "The model '\(model)' does not exist", type: "invalid_request_error",
                    code: "model_not_found")
            }
            return try await chatCompletion(body: body, model: model)
        }
        group.post("embeddings") { request, _ -> Response in
            if let denied = checkBearer(request) { return denied }
            var request = request
            let body = try await Self.parseBody(&request)
            return embeddings(body: body, model: body["model"]?.stringValue ?? "")
        }
    }

    func addAzureRoutes(to router: Router<BasicRequestContext>) {
        let group = router.group("openai/deployments/:deployment")
        group.post("chat/completions") { request, context -> Response in
            if let denied = checkAzure(request, context: context) { return denied }
            var request = request
            let body = try await Self.parseBody(&request)
            return try await chatCompletion(body: body, model: context.parameters.get("deployment") ?? "")
        }
        group.post("embeddings") { request, context -> Response in
            if let denied = checkAzure(request, context: context) { return denied }
            var request = request
            let body = try await Self.parseBody(&request)
            return embeddings(body: body, model: context.parameters.get("deployment") ?? "")
        }
    }

    private func checkBearer(_ request: Request) -> Response? {
        guard let apiKey = configuration.apiKey else { return nil }
        guard request.headers[.authorization] == "Bearer \(apiKey)" else {
            return Self.openAIError(
                status: .unauthorized, message: "Incorrect API key provided.", type: "invalid_request_error",
                code: "invalid_api_key")
        }
        return nil
    }

    private func checkAzure(_ request: Request, context: BasicRequestContext) -> Response? {
        guard request.uri.queryParameters["api-version"] != nil else {
            return Self.openAIError(
                status: .notFound, message: "Resource not found (api-version missing)", type: "invalid_request_error",
                code: "404")
        }
        if let key = configuration.azureAPIKey, request.headers[.init("api-key")!] != key {
            return Self.openAIError(
                status: .unauthorized,
                message: "Access denied due to invalid subscription key or wrong API endpoint.",
                type: "invalid_request_error", code: "401")
        }
        let deployment = context.parameters.get("deployment") ?? ""
        guard configuration.azureDeployments.contains(deployment) else {
            return Self.openAIError(
                status: .notFound, message: "The API deployment for this resource does not exist.",
                type: "invalid_request_error", code: "DeploymentNotFound")
        }
        return nil
    }

    static func openAIError(status: HTTPResponse.Status, message: String, type: String, code: String?) -> Response {
        json(
            ["error": ["message": .string(message), "type": .string(type), "param": nil, "code": code.map { .string($0) } ?? nil]],
            status: status)
    }

    private func embeddings(body: JSONValue, model: String) -> Response {
        let inputs: [String]
        if let text = body["input"]?.stringValue {
            inputs = [text]
        } else {
            inputs = body["input"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        let dimensions = body["dimensions"]?.doubleValue.map(Int.init) ?? configuration.embeddingDimensions
        let data: [JSONValue] = inputs.enumerated().map { index, text in
            [
                "object": "embedding", "index": .number(Double(index)),
                "embedding": .array(Self.embedding(of: text, dimensions: dimensions).map { .number($0) }),
            ]
        }
        let tokens = inputs.reduce(0) { $0 + MockScript.countTokens($1) }
        return Self.json([
            "object": "list", "data": .array(data), "model": .string(model),
            "usage": ["prompt_tokens": .number(Double(tokens)), "total_tokens": .number(Double(tokens))],
        ])
    }

    private func chatCompletion(body: JSONValue, model: String) async throws -> Response {
        let script = MockScript(text: Self.lastUserText(body))
        _ = try await Self.applyPreResponseScript(script)
        switch script.fault {
        case .status500:
            return Self.openAIError(status: .internalServerError, message: "mock: the server had an error", type: "server_error", code: nil)
        case .status400:
            return Self.openAIError(status: .badRequest, message: "mock: 'messages' is invalid", type: "invalid_request_error", code: "invalid_value")
        case .status429:
            var response = Self.openAIError(status: .tooManyRequests, message: "mock: rate limit reached", type: "requests", code: "rate_limit_exceeded")
            response.headers[.retryAfter] = "7"
            return response
        default:
            break
        }
        let maxTokens = (body["max_completion_tokens"] ?? body["max_tokens"])?.doubleValue.map(Int.init)
        let (pieces, truncated) = script.replyPieces(maxTokens: maxTokens)
        let toolCall: ToolCall? = script.toolName.map {
            ToolCall(id: "call_mock_1", name: $0, arguments: JSONValue.object(["query": .string(script.userText)]).jsonString())
        }
        let finish = toolCall != nil ? "tool_calls" : (truncated ? "length" : "stop")
        let usage: JSONValue = [
            "prompt_tokens": .number(Double(Self.promptTokens(body))),
            "completion_tokens": .number(Double(pieces.count)),
            "total_tokens": .number(Double(Self.promptTokens(body) + pieces.count)),
        ]
        let id = "chatcmpl-mock-\(UInt32.random(in: 0...UInt32.max))"
        let created = JSONValue.number(Double(Int(Date().timeIntervalSince1970)))

        guard body["stream"]?.boolValue == true else {
            var message: [String: JSONValue] = ["role": "assistant", "content": toolCall == nil ? .string(pieces.joined()) : nil, "refusal": nil]
            if let toolCall {
                message["tool_calls"] = [
                    ["id": .string(toolCall.id), "type": "function", "function": ["name": .string(toolCall.name), "arguments": .string(toolCall.arguments)]]
                ]
            }
            return Self.wholeAnswer([
                "id": .string(id), "object": "chat.completion", "created": created, "model": .string(model),
                "system_fingerprint": "fp_mock",
                "choices": [["index": 0, "message": .object(message), "logprobs": nil, "finish_reason": .string(finish)]],
                "usage": usage,
            ], script: script)
        }

        let includeUsage = body["stream_options"]?["include_usage"]?.boolValue == true
        func chunk(_ delta: JSONValue, finish: String? = nil) -> JSONValue {
            [
                "id": .string(id), "object": "chat.completion.chunk", "created": created, "model": .string(model),
                "system_fingerprint": "fp_mock",
                "choices": [["index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish.map { .string($0) } ?? nil]],
            ]
        }
        var frames: [JSONValue] = [chunk(["role": "assistant", "content": ""])]
        if let toolCall {
            frames.append(chunk(["tool_calls": [["index": 0, "id": .string(toolCall.id), "type": "function", "function": ["name": .string(toolCall.name), "arguments": ""]]]]))
            let arguments = Array(toolCall.arguments)
            stride(from: 0, to: arguments.count, by: 8).forEach { start in
                let piece = String(arguments[start..<min(start + 8, arguments.count)])
                frames.append(chunk(["tool_calls": [["index": 0, "function": ["arguments": .string(piece)]]]]))
            }
        } else {
            frames += pieces.map { chunk(["content": .string($0)]) }
        }
        frames.append(chunk([:], finish: finish))
        if includeUsage {
            frames.append([
                "id": .string(id), "object": "chat.completion.chunk", "created": created, "model": .string(model),
                "system_fingerprint": "fp_mock", "choices": [], "usage": usage,
            ])
        }
        return streamResponse(
            contentType: "text/event-stream",
            lines: frames.map { "data: \($0.jsonString())\n\n" } + ["data: [DONE]\n\n"],
            malformedLine: "data: {\"id\": \"broken\", \"choices\": [\n\n", script: script)
    }
}
