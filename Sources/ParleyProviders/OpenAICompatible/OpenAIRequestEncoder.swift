import ParleyCore

/// Writes a ``ChatRequest`` as an OpenAI `chat/completions` request body.
///
/// Fields the client sent that Parley does not know (`passthrough`) go first, so they reach the
/// upstream unchanged; the fields Parley understands are then written from the canonical request.
enum OpenAIRequestEncoder {
    static func encode(_ request: ChatRequest, model: String?) -> JSONValue {
        var body = request.passthrough
        if let model { body["model"] = .string(model) }
        body["messages"] = .array(request.messages.map(encode))
        let parameters = request.parameters
        if let value = parameters.temperature { body["temperature"] = .number(value) }
        if let value = parameters.topP { body["top_p"] = .number(value) }
        if let value = parameters.maxTokens {
            // Newer OpenAI models refuse `max_tokens`; keep the name the client used.
            body[request.passthrough["max_completion_tokens"] == nil ? "max_tokens" : "max_completion_tokens"] =
                .number(Double(value))
        }
        if !parameters.stop.isEmpty { body["stop"] = .array(parameters.stop.map { .string($0) }) }
        if let value = parameters.seed { body["seed"] = .number(Double(value)) }
        if let value = parameters.presencePenalty { body["presence_penalty"] = .number(value) }
        if let value = parameters.frequencyPenalty { body["frequency_penalty"] = .number(value) }
        if let user = request.user { body["user"] = .string(user) }
        if let format = request.responseFormat { body["response_format"] = encode(format) }
        if !request.tools.isEmpty { body["tools"] = .array(request.tools.map(encode)) }
        if let choice = request.toolChoice { body["tool_choice"] = encode(choice) }
        if let parallel = request.parallelToolCalls { body["parallel_tool_calls"] = .bool(parallel) }
        body["stream"] = .bool(request.stream)
        if request.stream {
            var streamOptions = body["stream_options"]?.objectValue ?? [:]
            streamOptions["include_usage"] = true
            body["stream_options"] = .object(streamOptions)
        } else {
            body["stream_options"] = nil
        }
        return .object(body)
    }

    static func encode(_ message: ChatMessage) -> JSONValue {
        var object: [String: JSONValue] = ["role": .string(message.role.rawValue)]
        switch message.content {
        case .text(let text): object["content"] = .string(text)
        case .parts(let parts): object["content"] = .array(parts.map(encode))
        case nil: object["content"] = .null
        }
        if let name = message.name { object["name"] = .string(name) }
        if !message.toolCalls.isEmpty {
            object["tool_calls"] = .array(
                message.toolCalls.map { call in
                    ["id": .string(call.id), "type": "function", "function": ["name": .string(call.name), "arguments": .string(call.arguments)]]
                })
        }
        if let id = message.toolCallID { object["tool_call_id"] = .string(id) }
        return .object(object)
    }

    static func encode(_ part: ContentPart) -> JSONValue {
        switch part {
        case .text(let text):
            return ["type": "text", "text": .string(text)]
        case .imageURL(let url, let detail):
            var image: [String: JSONValue] = ["url": .string(url)]
            if let detail { image["detail"] = .string(detail) }
            return ["type": "image_url", "image_url": .object(image)]
        }
    }

    static func encode(_ tool: ToolDefinition) -> JSONValue {
        var function: [String: JSONValue] = ["name": .string(tool.name)]
        if let description = tool.description { function["description"] = .string(description) }
        if let parameters = tool.parameters { function["parameters"] = parameters }
        if let strict = tool.strict { function["strict"] = .bool(strict) }
        return ["type": "function", "function": .object(function)]
    }

    static func encode(_ choice: ToolChoice) -> JSONValue {
        switch choice {
        case .none: return "none"
        case .auto: return "auto"
        case .required: return "required"
        case .function(let name): return ["type": "function", "function": ["name": .string(name)]]
        }
    }

    static func encode(_ format: ResponseFormat) -> JSONValue {
        switch format {
        case .text: return ["type": "text"]
        case .jsonObject: return ["type": "json_object"]
        case .jsonSchema(let schema): return ["type": "json_schema", "json_schema": schema]
        }
    }
}
