import Foundation
import Hummingbird
import ParleyCore

/// The mock's Ollama routes (`/api/...`), NDJSON streaming by default as Ollama does.
extension MockUpstream {
    func addOllamaRoutes(to router: Router<BasicRequestContext>) {
        let group = router.group("api")
        group.get("version") { _, _ in Self.json(["version": "0.5.7-mock"]) }
        group.get("tags") { _, _ -> Response in
            let models: [JSONValue] = configuration.ollamaModels.map {
                [
                    "name": .string($0), "model": .string($0), "modified_at": "2025-01-01T00:00:00Z", "size": 1_000_000,
                    "digest": "0123456789abcdef",
                    "details": ["format": "gguf", "family": "llama", "parameter_size": "1B", "quantization_level": "Q4_0"],
                ]
            }
            return Self.json(["models": .array(models)])
        }
        group.post("show") { request, _ -> Response in
            var request = request
            let body = try await Self.parseBody(&request)
            let name = (body["model"] ?? body["name"])?.stringValue ?? ""
            guard let model = resolveOllama(name) else { return Self.ollamaError(.notFound, "model '\(name)' not found") }
            return Self.json([
                "modelfile": .string("FROM \(model)"), "template": "{{ .Prompt }}",
                "details": ["format": "gguf", "family": "llama", "parameter_size": "1B", "quantization_level": "Q4_0"],
                "model_info": ["general.architecture": "llama", "llama.context_length": 4096],
            ])
        }
        group.post("chat") { request, _ -> Response in
            var request = request
            let body = try await Self.parseBody(&request)
            return try await ollamaChat(body: body)
        }
        group.post("embed") { request, _ -> Response in
            var request = request
            let body = try await Self.parseBody(&request)
            let name = body["model"]?.stringValue ?? ""
            guard let model = resolveOllama(name) else { return Self.ollamaError(.notFound, "model '\(name)' not found") }
            let inputs = body["input"]?.stringValue.map { [$0] } ?? body["input"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let vectors: [JSONValue] = inputs.map { text in
                .array(Self.embedding(of: text, dimensions: configuration.embeddingDimensions).map { .number($0) })
            }
            return Self.json([
                "model": .string(model), "embeddings": .array(vectors),
                "prompt_eval_count": .number(Double(inputs.reduce(0) { $0 + MockScript.countTokens($1) })),
            ])
        }
    }

    /// Ollama accepts `name` for `name:latest`.
    private func resolveOllama(_ name: String) -> String? {
        if configuration.ollamaModels.contains(name) { return name }
        if configuration.ollamaModels.contains(name + ":latest") { return name + ":latest" }
        return nil
    }

    static func ollamaError(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(["error": .string(message)], status: status)
    }

    private func ollamaChat(body: JSONValue) async throws -> Response {
        let name = body["model"]?.stringValue ?? ""
        guard let model = resolveOllama(name) else {
            return Self.ollamaError(.notFound, "model '\(name)' not found, try pulling it first")
        }
        let script = MockScript(text: Self.lastUserText(body))
        _ = try await Self.applyPreResponseScript(script)
        switch script.fault {
        case .status500: return Self.ollamaError(.internalServerError, "mock: llama runner process has terminated")
        case .status400: return Self.ollamaError(.badRequest, "mock: invalid message format")
        case .status429: return Self.ollamaError(.tooManyRequests, "mock: server busy")
        default: break
        }
        let maxTokens = body["options"]?["num_predict"]?.doubleValue.map(Int.init)
        let (pieces, truncated) = script.replyPieces(maxTokens: maxTokens)
        let toolCall: JSONValue? = script.toolName.map {
            ["function": ["name": .string($0), "arguments": ["query": .string(script.userText)]]]
        }
        let promptTokens = Self.promptTokens(body)
        let now = ISO8601DateFormatter().string(from: Date())
        let final: JSONValue = [
            "model": .string(model), "created_at": .string(now),
            "message": ["role": "assistant", "content": ""], "done": true,
            "done_reason": truncated ? "length" : "stop",
            "total_duration": 5_000_000, "load_duration": 1_000_000,
            "prompt_eval_count": .number(Double(promptTokens)), "prompt_eval_duration": 1_000_000,
            "eval_count": .number(Double(pieces.count)), "eval_duration": 3_000_000,
        ]
        guard body["stream"]?.boolValue ?? true else {
            var whole = final.objectValue ?? [:]
            var message: [String: JSONValue] = ["role": "assistant", "content": .string(toolCall == nil ? pieces.joined() : "")]
            if let toolCall { message["tool_calls"] = [toolCall] }
            whole["message"] = .object(message)
            return Self.wholeAnswer(.object(whole), script: script)
        }
        var lines: [JSONValue] = []
        if let toolCall {
            lines.append([
                "model": .string(model), "created_at": .string(now),
                "message": ["role": "assistant", "content": "", "tool_calls": [toolCall]], "done": false,
            ])
        } else {
            lines = pieces.map {
                ["model": .string(model), "created_at": .string(now), "message": ["role": "assistant", "content": .string($0)], "done": false]
            }
        }
        lines.append(final)
        return streamResponse(
            contentType: "application/x-ndjson", lines: lines.map { $0.jsonString() + "\n" },
            malformedLine: "{\"model\": \"broken\n", script: script)
    }
}
