import ParleyCore

/// Response bodies of `/v1`, shaped as in OpenAI's OpenAPI document. Fields the schema marks as
/// required but nullable are written as explicit `null`.
enum OpenAIResponses {
    struct UsageBody: Encodable {
        var prompt_tokens: Int
        var completion_tokens: Int
        var total_tokens: Int

        init(_ usage: Usage?) {
            prompt_tokens = usage?.promptTokens ?? 0
            completion_tokens = usage?.completionTokens ?? 0
            total_tokens = prompt_tokens + completion_tokens
        }
    }

    struct ToolCallBody: Encodable {
        struct Function: Encodable {
            var name: String?
            var arguments: String?
        }
        var index: Int?
        var id: String?
        var type: String?
        var function: Function
    }

    struct Completion: Encodable {
        struct Choice: Encodable {
            struct Message: Encodable {
                var content: String?
                var toolCalls: [ToolCallBody]?

                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: Keys.self)
                    try container.encode("assistant", forKey: .role)
                    try container.encode(content, forKey: .content)
                    try container.encodeNil(forKey: .refusal)
                    try container.encodeIfPresent(toolCalls, forKey: .tool_calls)
                }

                enum Keys: String, CodingKey { case role, content, refusal, tool_calls }
            }
            var message: Message
            var finishReason: String

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(0, forKey: .index)
                try container.encode(message, forKey: .message)
                try container.encodeNil(forKey: .logprobs)
                try container.encode(finishReason, forKey: .finish_reason)
            }

            enum Keys: String, CodingKey { case index, message, logprobs, finish_reason }
        }
        var id: String
        var object = "chat.completion"
        var created: Int
        var model: String
        var choices: [Choice]
        var usage: UsageBody
    }

    struct Chunk: Encodable {
        struct Choice: Encodable {
            struct Delta: Encodable {
                var role: String?
                var content: String?
                var tool_calls: [ToolCallBody]?
            }
            var delta: Delta
            var finishReason: String?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(0, forKey: .index)
                try container.encode(delta, forKey: .delta)
                try container.encodeNil(forKey: .logprobs)
                try container.encode(finishReason, forKey: .finish_reason)
            }

            enum Keys: String, CodingKey { case index, delta, logprobs, finish_reason }
        }
        var id: String
        var object = "chat.completion.chunk"
        var created: Int
        var model: String
        var choices: [Choice]
        var usage: UsageBody?
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
