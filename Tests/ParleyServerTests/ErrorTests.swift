import Foundation
import ParleyCore
import ParleyServer
import ParleyTesting
import Testing

@Suite struct RequestErrorTests {
    @Test func malformedJSONIsA400InOpenAIsEnvelope() async throws {
        try await withMockAndParley { _, parley in
            let reply = try await parley.post("/v1/chat/completions", raw: Data("{\"model\": \"x\", ".utf8))
            #expect(reply.status == 400)
            let error = try #require(reply.json?["error"])
            #expect(error["type"] == "invalid_request_error")
            #expect(error["message"]?.stringValue?.contains("not valid JSON") == true)
            #expect(error["param"] != nil)
            #expect(error["code"] != nil)
        }
    }

    @Test(arguments: [
        (#"{"model": 5, "messages": []}"#, "model"),
        (#"{"model": "openai/mock-gpt"}"#, "messages"),
        (#"{"model": "openai/mock-gpt", "messages": "hi"}"#, "messages"),
        (#"{"model": "openai/mock-gpt", "messages": [{"role": "user", "content": 3}]}"#, "messages[0].content"),
        (#"{"model": "openai/mock-gpt", "messages": [{"role": "robot", "content": "x"}]}"#, "messages[0].role"),
        (#"{"model": "openai/mock-gpt", "messages": [{"role": "user", "content": "x"}], "temperature": "hot"}"#, "temperature"),
        (#"{"model": "openai/mock-gpt", "messages": [{"role": "user", "content": "x"}], "temperature": 7}"#, "temperature"),
        (#"{"model": "openai/mock-gpt", "messages": [{"role": "user", "content": "x"}], "max_tokens": 1.5}"#, "max_tokens"),
        (#"{"model": "openai/mock-gpt", "messages": [{"role": "user", "content": "x"}], "stop": [1]}"#, "stop[0]"),
        (#"{"model": "openai/mock-gpt", "messages": [{"role": "user", "content": "x"}], "stream": "yes"}"#, "stream"),
        (#"{"model": "openai/mock-gpt", "messages": [{"role": "tool", "content": "x"}]}"#, "messages[0].tool_call_id"),
        (#"{"model": "openai/mock-gpt", "messages": [{"role": "user", "content": "x"}], "tools": [{"type": "function"}]}"#, "tools[0].function"),
        (#"[1, 2]"#, nil),
    ] as [(String, String?)])
    func wrongTypesAreA400NamingTheField(body: String, field: String?) async throws {
        try await withMockAndParley { mock, parley in
            let reply = try await parley.post("/v1/chat/completions", raw: Data(body.utf8))
            #expect(reply.status == 400)
            if let field {
                #expect(reply.json?["error"]?["param"]?.stringValue == field)
                #expect(reply.errorMessage?.hasPrefix(field + ":") == true, "message: \(reply.errorMessage ?? "none")")
            }
            #expect(!mock.recorder.requests.contains { $0.method == "POST" }, "nothing reaches the upstream")
        }
    }

    @Test func unknownModelIsA404ModelNotFound() async throws {
        try await withMockAndParley { _, parley in
            for model in ["no-such-model", "openai/no-such-model", "nobody/mock-gpt"] {
                let reply = try await parley.post("/v1/chat/completions", json: chatBody(model: model, "Hi"))
                #expect(reply.status == 404, "\(model)")
                #expect(reply.errorCode == "model_not_found")
                #expect(reply.json?["error"]?["param"] == "model")
            }
        }
    }

    @Test func bodyOverTheLimitIsA413() async throws {
        try await withMockAndParley({ $0.maxBodySize = 4096 }) { _, parley in
            let big = chatBody(model: "openai/mock-gpt", String(repeating: "a", count: 10_000))
            let reply = try await parley.post("/v1/chat/completions", json: big)
            #expect(reply.status == 413)
            #expect(reply.errorCode == "request_too_large")
        }
    }

    @Test func deeplyNestedJSONIsA400AndTheServerStaysUp() async throws {
        try await withMockAndParley { _, parley in
            let depth = 100_000
            let body = #"{"model": "openai/mock-gpt", "messages": "# + String(repeating: "[", count: depth)
                + String(repeating: "]", count: depth) + "}"
            let reply = try await parley.post("/v1/chat/completions", raw: Data(body.utf8))
            #expect(reply.status == 400)
            let next = try await parley.post("/v1/chat/completions", json: chatBody(model: "openai/mock-gpt", "Still there?"))
            #expect(next.status == 200)
        }
    }

    @Test func unknownRouteIsA404InTheEnvelope() async throws {
        try await withParley { parley in
            let reply = try await parley.get("/v1/nothing-here")
            #expect(reply.status == 404)
            #expect(reply.json?["error"]?["message"] != nil)
        }
    }
}

@Suite struct UpstreamFaultTests {
    @Test func deadUpstreamIsA502() async throws {
        try await withParley({ configuration in
            // Nothing listens on port 9 of loopback (discard, normally closed).
            configuration.providers = [ProviderConfiguration(name: "dead", kind: .openAICompatible, baseURL: "http://127.0.0.1:9/v1")]
        }) { parley in
            let reply = try await parley.post("/v1/chat/completions", json: chatBody(model: "dead/some-model", "Hi"))
            #expect(reply.status == 502)
            #expect(reply.errorCode == "upstream_unreachable")
            #expect(reply.errorMessage?.contains("dead") == true)
        }
    }

    @Test(arguments: ["openai/mock-gpt", "ollama/mock-llama"])
    func upstreamThatSendsNothingIsA504(model: String) async throws {
        try await withMockAndParley({ $0.upstreamTimeouts.firstByte = .milliseconds(500) }) { _, parley in
            let reply = try await parley.post("/v1/chat/completions", json: chatBody(model: model, "[mock:fault=hang]"))
            #expect(reply.status == 504)
            #expect(reply.errorCode == "upstream_timeout")
        }
    }

    @Test(arguments: ["openai/mock-gpt", "ollama/mock-llama"])
    func upstreamThatGoesSilentMidStreamEndsWithAnErrorFrame(model: String) async throws {
        try await withMockAndParley({ $0.upstreamTimeouts.idle = .milliseconds(1500) }) { _, parley in
            let (status, events) = try await parley.stream(
                "/v1/chat/completions", json: chatBody(model: model, "[mock:fault=stall]", stream: true))
            #expect(status == 200)
            let last = try JSONValue.parse(Array((events.last ?? "").utf8))
            #expect(last["error"]?["code"] == "upstream_timeout")
            #expect(!events.contains("[DONE]"))
        }
    }

    @Test(arguments: ["openai/mock-gpt", "ollama/mock-llama"])
    func upstreamThatGoesSilentMidAnswerIsA504WhenNotStreaming(model: String) async throws {
        try await withMockAndParley({ $0.upstreamTimeouts.idle = .milliseconds(1500) }) { _, parley in
            let reply = try await parley.post("/v1/chat/completions", json: chatBody(model: model, "[mock:fault=stall]"))
            #expect(reply.status == 504)
            #expect(reply.errorCode == "upstream_timeout")
        }
    }

    @Test(arguments: ["openai/mock-gpt", "azure/mock-azure", "ollama/mock-llama"])
    func upstream500IsA502WithItsMessage(model: String) async throws {
        try await withMockAndParley { _, parley in
            let reply = try await parley.post("/v1/chat/completions", json: chatBody(model: model, "[mock:fault=500]"))
            #expect(reply.status == 502)
            #expect(reply.errorMessage?.contains("500") == true)
        }
    }

    @Test(arguments: ["openai/mock-gpt", "ollama/mock-llama"])
    func upstream4xxIsPassedOnWithItsMessage(model: String) async throws {
        try await withMockAndParley { _, parley in
            let reply = try await parley.post("/v1/chat/completions", json: chatBody(model: model, "[mock:fault=400]"))
            #expect(reply.status == 400)
            #expect(reply.errorMessage?.hasPrefix("mock:") == true)
            let limited = try await parley.post("/v1/chat/completions", json: chatBody(model: model, "[mock:fault=429]"))
            #expect(limited.status == 429)
        }
    }

    @Test(arguments: ["openai/mock-gpt", "ollama/mock-llama"], ["malformed", "drop"])
    func brokenStreamsEndWithAnErrorFrame(model: String, fault: String) async throws {
        try await withMockAndParley { _, parley in
            let (status, events) = try await parley.stream(
                "/v1/chat/completions", json: chatBody(model: model, "[mock:fault=\(fault)]", stream: true))
            #expect(status == 200)
            let last = try JSONValue.parse(Array((events.last ?? "").utf8))
            #expect(last["error"]?["message"] != nil, "last frame: \(events.last ?? "none")")
            #expect(!events.contains("[DONE]"))
        }
    }

    @Test(arguments: ["openai/mock-gpt", "ollama/mock-llama"], ["malformed", "drop"])
    func brokenStreamsAreA502WhenNotStreaming(model: String, fault: String) async throws {
        try await withMockAndParley { _, parley in
            let reply = try await parley.post("/v1/chat/completions", json: chatBody(model: model, "[mock:fault=\(fault)]"))
            #expect(reply.status == 502)
        }
    }

    @Test func wrongUpstreamKeyIsPassedOnAs401() async throws {
        try await withMockAndParley({ configuration in
            configuration.providers[0].apiKey = "sk-wrong"
        }) { _, parley in
            let reply = try await parley.post("/v1/chat/completions", json: chatBody(model: "openai/mock-gpt", "Hi"))
            #expect(reply.status == 401)
            #expect(reply.errorMessage?.contains("sk-wrong") == false)
        }
    }
}
