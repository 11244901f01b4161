import ParleyCore

/// Reads an OpenAI `chat/completions` request body into a ``ChatRequest``.
///
/// Fields it does not know stay in `passthrough` for OpenAI-compatible upstreams. The sampling
/// fields some servers add (`top_k`, `min_p`, `repetition_penalty`) are read for the embedded
/// engine and also passed through.
enum OpenAIChatRequestDecoder {
    struct Decoded {
        var request: ChatRequest
        var stream: Bool
        var includeUsage: Bool
    }

    /// Fields consumed here and written anew by each provider.
    static let consumed: Set<String> = [
        "model", "messages", "temperature", "top_p", "max_tokens", "stop", "seed", "presence_penalty",
        "frequency_penalty", "user", "response_format", "tools", "tool_choice", "parallel_tool_calls", "stream",
        "stream_options",
    ]

    static func decode(_ body: JSONValue) throws -> Decoded {
        guard case .object(let object) = body else { throw ParleyError.badRequest("The request body must be a JSON object.") }
        let fields = FieldReader(object)
        let model = try fields.requiredString("model")
        guard let messageReaders = try fields.objects("messages") else { throw fields.fail("messages", "is required") }
        guard !messageReaders.isEmpty else { throw fields.fail("messages", "must hold at least one message") }
        let messages = try messageReaders.map(message)

        var parameters = SamplingParameters()
        parameters.temperature = try fields.number("temperature", in: 0...2)
        parameters.topP = try fields.number("top_p", in: 0...1)
        parameters.topK = try fields.integer("top_k", in: 0...100_000)
        parameters.minP = try fields.number("min_p", in: 0...1)
        parameters.repeatPenalty = try fields.number("repetition_penalty", in: 0...10) ?? fields.number("repeat_penalty", in: 0...10)
        let maxCompletion = try fields.integer("max_completion_tokens", in: 1...10_000_000)
        parameters.maxTokens = try maxCompletion ?? fields.integer("max_tokens", in: 1...10_000_000)
        parameters.stop = try fields.strings("stop") ?? []
        parameters.seed = try fields.integer("seed")
        parameters.presencePenalty = try fields.number("presence_penalty", in: -2...2)
        parameters.frequencyPenalty = try fields.number("frequency_penalty", in: -2...2)

        var request = ChatRequest(model: model, messages: messages, parameters: parameters)
        request.user = try fields.string("user")
        request.responseFormat = try responseFormat(fields)
        request.tools = try fields.objects("tools")?.map(tool) ?? []
        request.toolChoice = try toolChoice(fields)
        request.parallelToolCalls = try fields.bool("parallel_tool_calls")
        request.passthrough = object.filter { !consumed.contains($0.key) }
        let stream = try fields.bool("stream") ?? false
        let includeUsage = try fields.object("stream_options")?.bool("include_usage") ?? false
        return Decoded(request: request, stream: stream, includeUsage: includeUsage)
    }

    static func message(_ fields: FieldReader) throws -> ChatMessage {
        let roleText = try fields.requiredString("role")
        guard let role = ChatRole(rawValue: roleText) else {
            throw fields.fail("role", "'\(roleText)' is not a role (system, developer, user, assistant, tool)")
        }
        var message = ChatMessage(role: role, content: try content(fields))
        message.name = try fields.string("name")
        message.toolCalls = try fields.objects("tool_calls")?.map { call in
            guard let function = try call.object("function") else { throw call.fail("function", "is required") }
            return ToolCall(
                id: try call.requiredString("id"), name: try function.requiredString("name"),
                arguments: try function.string("arguments") ?? "{}")
        } ?? []
        message.toolCallID = try fields.string("tool_call_id")
        if role == .tool, message.toolCallID == nil {
            throw fields.fail("tool_call_id", "is required for a message with role 'tool'")
        }
        if message.content == nil, message.toolCalls.isEmpty, role != .assistant {
            throw fields.fail("content", "is required")
        }
        return message
    }

    static func content(_ fields: FieldReader) throws -> MessageContent? {
        guard let value = fields.value("content") else { return nil }
        switch value {
        case .string(let text):
            return .text(text)
        case .array:
            let parts = try fields.objects("content") ?? []
            return .parts(
                try parts.map { part in
                    let type = try part.requiredString("type")
                    switch type {
                    case "text":
                        return .text(try part.requiredString("text"))
                    case "image_url":
                        guard let image = try part.object("image_url") else { throw part.fail("image_url", "is required") }
                        return .imageURL(url: try image.requiredString("url"), detail: try image.string("detail"))
                    default:
                        throw part.fail("type", "'\(type)' content parts are not supported (text, image_url)")
                    }
                })
        default:
            throw fields.fail("content", "expected a string or an array of content parts, got \(value.typeName)")
        }
    }

    static func tool(_ fields: FieldReader) throws -> ToolDefinition {
        let type = try fields.string("type") ?? "function"
        guard type == "function" else { throw fields.fail("type", "'\(type)' tools are not supported (function)") }
        guard let function = try fields.object("function") else { throw fields.fail("function", "is required") }
        let parameters = function.value("parameters")
        if let parameters, case .object = parameters {} else if parameters != nil {
            throw function.fail("parameters", "expected a JSON Schema object, got \(parameters!.typeName)")
        }
        return ToolDefinition(
            name: try function.requiredString("name"), description: try function.string("description"),
            parameters: parameters, strict: try function.bool("strict"))
    }

    static func toolChoice(_ fields: FieldReader) throws -> ToolChoice? {
        guard let value = fields.value("tool_choice") else { return nil }
        switch value {
        case .string("none"): return ToolChoice.none
        case .string("auto"): return .auto
        case .string("required"): return .required
        case .object:
            let choice = try fields.object("tool_choice")
            guard let name = try choice?.object("function")?.requiredString("name") else {
                throw fields.fail("tool_choice", "expected {\"type\": \"function\", \"function\": {\"name\": ...}}")
            }
            return .function(name)
        default:
            throw fields.fail("tool_choice", "expected 'none', 'auto', 'required' or a function object")
        }
    }

    static func responseFormat(_ fields: FieldReader) throws -> ResponseFormat? {
        guard let format = try fields.object("response_format") else { return nil }
        let type = try format.requiredString("type")
        switch type {
        case "text": return .text
        case "json_object": return .jsonObject
        case "json_schema":
            guard let schema = format.value("json_schema"), case .object = schema else {
                throw format.fail("json_schema", "is required for type 'json_schema'")
            }
            return .jsonSchema(schema)
        default:
            throw format.fail("type", "'\(type)' is not a response format (text, json_object, json_schema)")
        }
    }
}
