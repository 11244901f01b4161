import Foundation
import ParleyCore

/// Reads Ollama's `/api/chat` and `/api/generate` request bodies into a ``ChatRequest``.
enum OllamaRequestDecoder {
    struct Decoded {
        var request: ChatRequest
        var stream: Bool
    }

    static func chat(_ body: JSONValue) throws -> Decoded {
        guard case .object(let object) = body else { throw ParleyError.badRequest("The request body must be a JSON object.") }
        let fields = FieldReader(object)
        let model = try fields.requiredString("model")
        guard let messageReaders = try fields.objects("messages") else { throw fields.fail("messages", "is required") }
        let messages = try messageReaders.enumerated().map { index, reader in try message(reader, index: index) }
        var request = ChatRequest(model: model, messages: messages, parameters: try options(fields))
        request.responseFormat = try format(fields)
        request.tools = try fields.objects("tools")?.map(OpenAIChatRequestDecoder.tool) ?? []
        if let keepAlive = fields.value("keep_alive") { request.passthrough["keep_alive"] = keepAlive }
        return Decoded(request: request, stream: try fields.bool("stream") ?? true)
    }

    /// `/api/generate`: a prompt (with optional system prompt and images) instead of messages.
    static func generate(_ body: JSONValue) throws -> Decoded {
        guard case .object(let object) = body else { throw ParleyError.badRequest("The request body must be a JSON object.") }
        let fields = FieldReader(object)
        let model = try fields.requiredString("model")
        let prompt = try fields.string("prompt") ?? ""
        var messages: [ChatMessage] = []
        if let system = try fields.string("system") { messages.append(.system(system)) }
        let images = try images(fields)
        if images.isEmpty {
            messages.append(.user(prompt))
        } else {
            messages.append(ChatMessage(role: .user, content: .parts([.text(prompt)] + images)))
        }
        var request = ChatRequest(model: model, messages: messages, parameters: try options(fields))
        request.responseFormat = try format(fields)
        return Decoded(request: request, stream: try fields.bool("stream") ?? true)
    }

    static func message(_ fields: FieldReader, index: Int) throws -> ChatMessage {
        let roleText = try fields.requiredString("role")
        guard let role = ChatRole(rawValue: roleText) else {
            throw fields.fail("role", "'\(roleText)' is not a role (system, user, assistant, tool)")
        }
        let text = try fields.string("content") ?? ""
        let images = try images(fields)
        var message = ChatMessage(role: role, content: images.isEmpty ? .text(text) : .parts([.text(text)] + images))
        message.toolCalls = try fields.objects("tool_calls")?.enumerated().map { callIndex, call in
            guard let function = try call.object("function") else { throw call.fail("function", "is required") }
            let arguments: String
            switch function.value("arguments") {
            case .string(let text)?: arguments = text
            case let value?: arguments = value.jsonString()
            case nil: arguments = "{}"
            }
            return ToolCall(
                id: try call.string("id") ?? "call_\(index)_\(callIndex)", name: try function.requiredString("name"),
                arguments: arguments)
        } ?? []
        if role == .tool {
            message.name = try fields.string("tool_name") ?? fields.string("name")
            // Ollama has no call ids; answer the latest call of that name.
            message.toolCallID = try fields.string("tool_call_id") ?? message.name.map { "call_\($0)" } ?? "call_\(index)"
        }
        return message
    }

    /// Base64 images, as `data:` URLs with the type read from the image's first bytes.
    static func images(_ fields: FieldReader) throws -> [ContentPart] {
        try (fields.strings("images") ?? []).enumerated().map { index, base64 in
            guard let head = Data(base64Encoded: String(base64.prefix(16))) ?? Data(base64Encoded: String(base64.prefix(12))) else {
                throw fields.fail("images[\(index)]", "is not base64")
            }
            let type: String
            if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
                type = "image/png"
            } else if head.starts(with: [0xFF, 0xD8]) {
                type = "image/jpeg"
            } else if head.starts(with: Array("GIF8".utf8)) {
                type = "image/gif"
            } else if head.starts(with: Array("RIFF".utf8)) {
                type = "image/webp"
            } else {
                type = "application/octet-stream"
            }
            return .imageURL(url: "data:\(type);base64,\(base64)", detail: nil)
        }
    }

    static func options(_ fields: FieldReader) throws -> SamplingParameters {
        var parameters = SamplingParameters()
        guard let options = try fields.object("options") else { return parameters }
        parameters.temperature = try options.number("temperature", in: 0...100)
        parameters.topP = try options.number("top_p", in: 0...1)
        parameters.topK = try options.integer("top_k", in: 0...1_000_000)
        parameters.minP = try options.number("min_p", in: 0...1)
        if let predict = try options.integer("num_predict"), predict >= 0 { parameters.maxTokens = predict }
        parameters.stop = try options.strings("stop") ?? []
        parameters.seed = try options.integer("seed")
        parameters.contextLength = try options.integer("num_ctx", in: 1...10_000_000)
        parameters.repeatPenalty = try options.number("repeat_penalty", in: 0...100)
        parameters.presencePenalty = try options.number("presence_penalty", in: -2...2)
        parameters.frequencyPenalty = try options.number("frequency_penalty", in: -2...2)
        return parameters
    }

    static func format(_ fields: FieldReader) throws -> ResponseFormat? {
        switch fields.value("format") {
        case nil, .string("")?: return nil
        case .string("json")?: return .jsonObject
        case .object(let schema)?: return .jsonSchema(["name": "response", "schema": .object(schema)])
        case let other?: throw fields.fail("format", "expected \"json\" or a JSON Schema object, got \(other.typeName)")
        }
    }
}
