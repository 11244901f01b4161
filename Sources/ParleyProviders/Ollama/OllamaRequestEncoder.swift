import ParleyCore

/// Writes a ``ChatRequest`` as an Ollama `/api/chat` request body.
enum OllamaRequestEncoder {
    static func encode(_ request: ChatRequest, provider: String) throws -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "messages": .array(try request.messages.enumerated().map { try encode($1, index: $0, provider: provider) }),
            "stream": .bool(request.stream),
        ]
        var options = request.passthrough["options"]?.objectValue ?? [:]
        let parameters = request.parameters
        if let value = parameters.temperature { options["temperature"] = .number(value) }
        if let value = parameters.topP { options["top_p"] = .number(value) }
        if let value = parameters.topK { options["top_k"] = .number(Double(value)) }
        if let value = parameters.minP { options["min_p"] = .number(value) }
        if let value = parameters.maxTokens { options["num_predict"] = .number(Double(value)) }
        if !parameters.stop.isEmpty { options["stop"] = .array(parameters.stop.map { .string($0) }) }
        if let value = parameters.seed { options["seed"] = .number(Double(value)) }
        if let value = parameters.presencePenalty { options["presence_penalty"] = .number(value) }
        if let value = parameters.frequencyPenalty { options["frequency_penalty"] = .number(value) }
        if let value = parameters.repeatPenalty { options["repeat_penalty"] = .number(value) }
        if let value = parameters.contextLength { options["num_ctx"] = .number(Double(value)) }
        if !options.isEmpty { body["options"] = .object(options) }
        switch request.responseFormat {
        case .jsonObject: body["format"] = "json"
        case .jsonSchema(let schema): body["format"] = schema["schema"] ?? "json"
        case .text, nil: break
        }
        if !request.tools.isEmpty, request.toolChoice != ParleyCore.ToolChoice.none {
            body["tools"] = .array(request.tools.map(OpenAIRequestEncoder.encode))
        }
        if let keepAlive = request.passthrough["keep_alive"] { body["keep_alive"] = keepAlive }
        return .object(body)
    }

    static func encode(_ message: ChatMessage, index: Int, provider: String) throws -> JSONValue {
        let role = message.role == .developer ? "system" : message.role.rawValue
        var object: [String: JSONValue] = ["role": .string(role), "content": .string(message.content?.text ?? "")]
        let images = try (message.content?.imageURLs ?? []).map { url -> JSONValue in
            guard let base64 = inlineImageData(url) else {
                throw ParleyError.badRequest(
                    "The provider '\(provider)' (Ollama) takes images only inline, as data: URLs.",
                    param: "messages[\(index)].content")
            }
            return .string(base64)
        }
        if !images.isEmpty { object["images"] = .array(images) }
        if !message.toolCalls.isEmpty {
            object["tool_calls"] = .array(
                message.toolCalls.map { call in
                    let arguments = (try? JSONValue.parse(Array(call.arguments.utf8))) ?? .object([:])
                    return ["function": ["name": .string(call.name), "arguments": arguments]]
                })
        }
        if let name = message.name, message.role == .tool { object["tool_name"] = .string(name) }
        return .object(object)
    }

    /// The base64 payload of a `data:` URL.
    static func inlineImageData(_ url: String) -> String? {
        guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") else { return nil }
        guard url[..<comma].hasSuffix(";base64") else { return nil }
        return String(url[url.index(after: comma)...])
    }
}
