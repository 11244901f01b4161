import ParleyCore

/// Response bodies of `/v1`, shaped as in OpenAI's OpenAPI document. Fields the schema marks as
/// required but nullable are written as explicit `null`.
enum OpenAIResponses {
    struct UsageBody: JSONWritable {
        var prompt_tokens: Int
        var completion_tokens: Int
        var total_tokens: Int

        init(_ usage: Usage?) {
            prompt_tokens = usage?.promptTokens ?? 0
            completion_tokens = usage?.completionTokens ?? 0
            total_tokens = prompt_tokens + completion_tokens
        }

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("prompt_tokens", prompt_tokens)
            json.member("completion_tokens", completion_tokens)
            json.member("total_tokens", total_tokens)
            json.endObject()
        }
    }

    struct ToolCallBody: JSONWritable {
        struct Function {
            var name: String?
            var arguments: String?
        }
        var index: Int?
        var id: String?
        var type: String?
        var function: Function

        /// Members that are `nil` are left out (stream pieces after the first carry only arguments).
        func write(to json: inout JSONWriter) {
            json.beginObject()
            if let index { json.member("index", index) }
            if let id { json.member("id", id) }
            if let type { json.member("type", type) }
            json.key("function")
            json.beginObject()
            if let name = function.name { json.member("name", name) }
            if let arguments = function.arguments { json.member("arguments", arguments) }
            json.endObject()
            json.endObject()
        }
    }

    struct Completion: JSONWritable {
        struct Choice {
            struct Message {
                var content: String?
                var toolCalls: [ToolCallBody]?
            }
            var message: Message
            var finishReason: String
        }
        var id: String
        var created: Int
        var model: String
        var choices: [Choice]
        var usage: UsageBody

        func write(to json: inout JSONWriter) {
            OpenAIResponses.writeHead(&json, id: id, object: "chat.completion", created: created, model: model)
            OpenAIResponses.writeChoices(&json, choices, body: "message", finishReason: \.finishReason) { choice, json in
                json.member("role", "assistant")
                json.member("content", choice.message.content)
                json.member("refusal", nil)
                if let calls = choice.message.toolCalls { json.array("tool_calls", calls) }
            }
            json.key("usage")
            usage.write(to: &json)
            json.endObject()
        }
    }

    struct Chunk: JSONWritable {
        struct Choice {
            struct Delta {
                var role: String?
                var content: String?
                var tool_calls: [ToolCallBody]?
            }
            var delta: Delta
            var finishReason: String?
        }
        var id: String
        var created: Int
        var model: String
        var choices: [Choice]
        var usage: UsageBody?

        func write(to json: inout JSONWriter) {
            OpenAIResponses.writeHead(&json, id: id, object: "chat.completion.chunk", created: created, model: model)
            OpenAIResponses.writeChoices(&json, choices, body: "delta", finishReason: \.finishReason) { choice, json in
                if let role = choice.delta.role { json.member("role", role) }
                if let content = choice.delta.content { json.member("content", content) }
                if let calls = choice.delta.tool_calls { json.array("tool_calls", calls) }
            }
            if let usage {
                json.key("usage")
                usage.write(to: &json)
            }
            json.endObject()
        }
    }

    /// Opens a completion or chunk object with the members they share, in OpenAI's order.
    static func writeHead(_ json: inout JSONWriter, id: String, object: String, created: Int, model: String) {
        json.beginObject()
        json.member("id", id)
        json.member("object", object)
        json.member("created", created)
        json.member("model", model)
    }

    /// The `choices` array: each choice's `index`, its `message` or `delta` object (`body` writes the
    /// members), `logprobs` and `finish_reason`.
    static func writeChoices<Choice>(
        _ json: inout JSONWriter, _ choices: [Choice], body name: String, finishReason: (Choice) -> String?,
        body: (Choice, inout JSONWriter) -> Void
    ) {
        json.key("choices")
        json.beginArray()
        for choice in choices {
            json.beginObject()
            json.member("index", 0)
            json.key(name)
            json.beginObject()
            body(choice, &json)
            json.endObject()
            json.member("logprobs", nil)
            json.member("finish_reason", finishReason(choice))
            json.endObject()
        }
        json.endArray()
    }

    struct ModelBody: Encodable {
        var id: String
        var object = "model"
        var created: Int
        var owned_by: String
    }

    struct ModelList: Encodable {
        var object = "list"
        var data: [ModelBody]
    }

    struct EmbeddingList: Encodable {
        struct Item: Encodable {
            var object = "embedding"
            var index: Int
            var embedding: EmbeddingValue
        }
        /// `float` (an array) or `base64` (little-endian float32 bytes).
        enum EmbeddingValue: Encodable {
            case floats([Float])
            case base64(String)

            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .floats(let values): try container.encode(values)
                case .base64(let text): try container.encode(text)
                }
            }
        }
        struct EmbeddingUsage: Encodable {
            var prompt_tokens: Int
            var total_tokens: Int
        }
        var object = "list"
        var data: [Item]
        var model: String
        var usage: EmbeddingUsage
    }
}
