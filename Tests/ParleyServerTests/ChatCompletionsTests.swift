import Foundation
import ParleyCore
import ParleyTesting
import Testing

@Suite struct ChatCompletionsTests {
    @Test(arguments: ["openai/mock-gpt", "azure/mock-azure", "ollama/mock-llama:latest"])
    func answersWithoutStreamingThroughEveryProviderKind(model: String) async throws {
        try await withMockAndParley { _, parley in
            let reply = try await parley.post("/v1/chat/completions", json: chatBody(model: model, "Hi there"))
            #expect(reply.status == 200)
            let json = try #require(reply.json)
            #expect(json["object"] == "chat.completion")
            #expect(json["model"]?.stringValue == model)
            let message = json["choices"]?.arrayValue?.first?["message"]
            #expect(message?["role"] == "assistant")
            #expect(message?["content"]?.stringValue == "Hello from the mock upstream. You said: Hi there")
            #expect(json["choices"]?.arrayValue?.first?["finish_reason"] == "stop")
            #expect((json["usage"]?["completion_tokens"]?.doubleValue ?? 0) > 0)
            #expect(json["usage"]?["total_tokens"]?.doubleValue
                == (json["usage"]?["prompt_tokens"]?.doubleValue ?? -1) + (json["usage"]?["completion_tokens"]?.doubleValue ?? -1))
        }
    }

    @Test(arguments: ["openai/mock-gpt", "azure/mock-azure", "ollama/mock-llama"])
    func streamsChunksThenUsageThenDone(model: String) async throws {
        try await withMockAndParley { _, parley in
            let (status, events) = try await parley.stream(
                "/v1/chat/completions",
                json: chatBody(model: model, "Stream please", stream: true, extra: ["stream_options": ["include_usage": true]]))
            #expect(status == 200)
            #expect(events.last == "[DONE]")
            #expect(streamedText(events) == "Hello from the mock upstream. You said: Stream please")
            let chunks = events.dropLast().compactMap { try? JSONValue.parse(Array($0.utf8)) }
            #expect(chunks.count == events.count - 1, "every frame before [DONE] is JSON")
            #expect(chunks.first?["choices"]?.arrayValue?.first?["delta"]?["role"] == "assistant")
            #expect(chunks.allSatisfy { $0["object"] == "chat.completion.chunk" })
            let finishes = chunks.compactMap { $0["choices"]?.arrayValue?.first?["finish_reason"]?.stringValue }
            #expect(finishes == ["stop"])
            let usage = try #require(chunks.last?["usage"])
            #expect(chunks.last?["choices"]?.arrayValue?.isEmpty == true)
            #expect((usage["completion_tokens"]?.doubleValue ?? 0) > 0)
        }
    }

    @Test func streamsWithoutUsageUnlessAsked() async throws {
        try await withMockAndParley { _, parley in
            let (_, events) = try await parley.stream(
                "/v1/chat/completions", json: chatBody(model: "openai/mock-gpt", "Hi", stream: true))
            let chunks = events.dropLast().compactMap { try? JSONValue.parse(Array($0.utf8)) }
            #expect(chunks.allSatisfy { $0["usage"] == nil })
        }
    }

    @Test(arguments: ["openai/mock-gpt", "azure/mock-azure", "ollama/mock-llama"])
    func returnsToolCallsWithAndWithoutStreaming(model: String) async throws {
        try await withMockAndParley { _, parley in
            let tools: JSONValue = [
                [
                    "type": "function",
                    "function": [
                        "name": "lookup", "description": "Looks things up",
                        "parameters": ["type": "object", "properties": ["query": ["type": "string"]]],
                    ],
                ]
            ]
            let body = chatBody(model: model, "Find cats [mock:tool=lookup]", extra: ["tools": tools, "tool_choice": "auto"])
            let reply = try await parley.post("/v1/chat/completions", json: body)
            #expect(reply.status == 200)
            let choice = reply.json?["choices"]?.arrayValue?.first
            #expect(choice?["finish_reason"] == "tool_calls")
            let call = choice?["message"]?["tool_calls"]?.arrayValue?.first
            #expect(call?["type"] == "function")
            #expect(call?["function"]?["name"] == "lookup")
            #expect(call?["id"]?.stringValue?.isEmpty == false)
            let arguments = try JSONValue.parse(Array((call?["function"]?["arguments"]?.stringValue ?? "").utf8))
            #expect(arguments["query"] == "Find cats")

            var streamBody = body.objectValue ?? [:]
            streamBody["stream"] = true
            let (_, events) = try await parley.stream("/v1/chat/completions", json: .object(streamBody))
            let pieces = events.dropLast().compactMap { try? JSONValue.parse(Array($0.utf8)) }
                .compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["tool_calls"]?.arrayValue?.first }
            #expect(pieces.first?["function"]?["name"] == "lookup")
            #expect(pieces.first?["id"]?.stringValue?.isEmpty == false)
            let streamedArguments = pieces.compactMap { $0["function"]?["arguments"]?.stringValue }.joined()
            #expect(try JSONValue.parse(Array(streamedArguments.utf8))["query"] == "Find cats")
            #expect(events.last == "[DONE]")
        }
    }

    @Test func forwardsEveryParameterAndUnknownFieldsToOpenAICompatibleUpstreams() async throws {
        try await withMockAndParley { mock, parley in
            let body = chatBody(
                model: "openai/mock-gpt", "Hi",
                extra: [
                    "temperature": 0.3, "top_p": 0.9, "max_tokens": 50, "stop": ["\n\n", "END"], "seed": 42,
                    "presence_penalty": 0.5, "frequency_penalty": -0.5, "user": "alice",
                    "response_format": ["type": "json_object"], "logit_bias": ["50256": -100], "x_custom": ["a": [1, 2]],
                    "parallel_tool_calls": false,
                ])
            let reply = try await parley.post("/v1/chat/completions", json: body)
            #expect(reply.status == 200)
            let sent = try #require(mock.recorder.requests.last { $0.path == "/v1/chat/completions" })
            #expect(sent.headers["authorization"] == "Bearer sk-test")
            let upstream = try #require(sent.body)
            #expect(upstream["model"] == "mock-gpt")
            #expect(upstream["temperature"] == 0.3)
            #expect(upstream["top_p"] == 0.9)
            #expect(upstream["max_tokens"] == 50)
            #expect(upstream["stop"] == ["\n\n", "END"])
            #expect(upstream["seed"] == 42)
            #expect(upstream["presence_penalty"] == 0.5)
            #expect(upstream["frequency_penalty"] == -0.5)
            #expect(upstream["user"] == "alice")
            #expect(upstream["response_format"] == ["type": "json_object"])
            #expect(upstream["logit_bias"] == ["50256": -100])
            #expect(upstream["x_custom"] == ["a": [1, 2]])
            #expect(upstream["parallel_tool_calls"] == false)
        }
    }

    @Test func keepsMaxCompletionTokensByItsOwnName() async throws {
        try await withMockAndParley { mock, parley in
            let reply = try await parley.post(
                "/v1/chat/completions",
                json: chatBody(model: "openai/mock-gpt", "Hi [mock:tokens=20]", extra: ["max_completion_tokens": 3]))
            #expect(reply.json?["choices"]?.arrayValue?.first?["finish_reason"] == "length")
            let upstream = try #require(mock.recorder.requests.last { $0.path == "/v1/chat/completions" }?.body)
            #expect(upstream["max_completion_tokens"] == 3)
            #expect(upstream["max_tokens"] == nil)
        }
    }

    @Test func mapsParametersToOllamaOptions() async throws {
        try await withMockAndParley { mock, parley in
            let body = chatBody(
                model: "ollama/mock-llama", "Hi",
                extra: ["temperature": 0.2, "top_p": 0.8, "max_tokens": 7, "stop": "X", "seed": 9, "top_k": 30,
                        "response_format": ["type": "json_object"]])
            #expect(try await parley.post("/v1/chat/completions", json: body).status == 200)
            let upstream = try #require(mock.recorder.requests.last { $0.path == "/api/chat" }?.body)
            let options = try #require(upstream["options"])
            #expect(options["temperature"] == 0.2)
            #expect(options["top_p"] == 0.8)
            #expect(options["num_predict"] == 7)
            #expect(options["stop"] == ["X"])
            #expect(options["seed"] == 9)
            #expect(options["top_k"] == 30)
            #expect(upstream["format"] == "json")
        }
    }

    @Test func sendsAzureItsKeyHeaderDeploymentURLAndAPIVersion() async throws {
        try await withMockAndParley { mock, parley in
            #expect(try await parley.post("/v1/chat/completions", json: chatBody(model: "azure/mock-azure", "Hi")).status == 200)
            let sent = try #require(mock.recorder.requests.last { $0.method == "POST" })
            #expect(sent.path == "/openai/deployments/mock-azure/chat/completions?api-version=2024-10-21")
            #expect(sent.headers["api-key"] == "azure-key")
            #expect(sent.headers["authorization"] == nil)
        }
    }

    @Test func carriesMultiPartContentAndToolHistoryToTheUpstream() async throws {
        try await withMockAndParley { mock, parley in
            let body: JSONValue = [
                "model": "openai/mock-gpt",
                "messages": [
                    ["role": "system", "content": "Be brief."],
                    ["role": "user", "content": [["type": "text", "text": "What is this?"], ["type": "image_url", "image_url": ["url": "https://example.com/cat.png", "detail": "low"]]]],
                    ["role": "assistant", "content": nil, "tool_calls": [["id": "call_9", "type": "function", "function": ["name": "lookup", "arguments": "{\"q\":\"cat\"}"]]]],
                    ["role": "tool", "tool_call_id": "call_9", "content": "A cat."],
                ],
            ]
            #expect(try await parley.post("/v1/chat/completions", json: body).status == 200)
            let messages = try #require(mock.recorder.requests.last { $0.path == "/v1/chat/completions" }?.body?["messages"]?.arrayValue)
            #expect(messages.count == 4)
            #expect(messages[0] == ["role": "system", "content": "Be brief."])
            #expect(messages[1]["content"]?.arrayValue?[1]["image_url"] == ["url": "https://example.com/cat.png", "detail": "low"])
            #expect(messages[2]["tool_calls"]?.arrayValue?.first?["id"] == "call_9")
            #expect(messages[3]["tool_call_id"] == "call_9")
        }
    }
}
