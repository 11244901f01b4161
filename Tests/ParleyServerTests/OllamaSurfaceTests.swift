import Foundation
import ParleyCore
import ParleyTesting
import Testing

/// Ollama clients reach every provider through `/ollama/api`.
@Suite struct OllamaSurfaceTests {
    func ndjson(_ reply: ParleyClient.Reply) -> [JSONValue] {
        reply.text.split(separator: "\n").compactMap { try? JSONValue.parse(Array($0.utf8)) }
    }

    @Test func tagsListEveryProvidersModels() async throws {
        try await withMockAndParley { _, parley in
            let reply = try await parley.get("/ollama/api/tags")
            #expect(reply.status == 200)
            let names = reply.json?["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(names.contains("openai/mock-gpt"))
            #expect(names.contains("azure/mock-azure"))
            #expect(names.contains("ollama/mock-llama:latest"))
            #expect(try await parley.get("/ollama/api/version").json?["version"] != nil)
            let root = try await parley.get("/ollama")
            #expect(root.status == 200)
            #expect(root.text == "Ollama is running")
        }
    }

    @Test(arguments: ["openai/mock-gpt", "azure/mock-azure", "ollama/mock-llama"])
    func chatStreamsNDJSONWithCountsAndDurations(model: String) async throws {
        try await withMockAndParley { _, parley in
            let reply = try await parley.post(
                "/ollama/api/chat",
                json: ["model": .string(model), "messages": [["role": "system", "content": "Be kind."], ["role": "user", "content": "Hi"]]])
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"] == "application/x-ndjson")
            let lines = ndjson(reply)
            let text = lines.compactMap { $0["message"]?["content"]?.stringValue }.joined()
            #expect(text == "Hello from the mock upstream. You said: Hi")
            let last = try #require(lines.last)
            #expect(last["done"] == true)
            #expect(last["done_reason"] == "stop")
            #expect((last["eval_count"]?.doubleValue ?? 0) > 0)
            #expect((last["prompt_eval_count"]?.doubleValue ?? 0) > 0)
            #expect((last["total_duration"]?.doubleValue ?? 0) > 0)
            #expect(last["eval_duration"]?.doubleValue != nil)
            #expect(lines.dropLast().allSatisfy { $0["done"] == false })
        }
    }

    @Test func chatWithoutStreamingReturnsOneObject() async throws {
        try await withMockAndParley { mock, parley in
            let reply = try await parley.post(
                "/ollama/api/chat",
                json: [
                    "model": "openai/mock-gpt", "stream": false, "messages": [["role": "user", "content": "Hi"]],
                    "options": ["temperature": 0.1, "num_predict": 20, "top_p": 0.5, "seed": 3, "stop": ["zz"]],
                    "format": "json",
                ])
            #expect(reply.json?["message"]?["content"] == "Hello from the mock upstream. You said: Hi")
            #expect(reply.json?["done"] == true)
            let upstream = try #require(mock.recorder.requests.last { $0.path == "/v1/chat/completions" }?.body)
            #expect(upstream["temperature"] == 0.1)
            #expect(upstream["max_tokens"] == 20)
            #expect(upstream["top_p"] == 0.5)
            #expect(upstream["seed"] == 3)
            #expect(upstream["stop"] == ["zz"])
            #expect(upstream["response_format"] == ["type": "json_object"])
        }
    }

    @Test(arguments: ["openai/mock-gpt", "ollama/mock-llama"])
    func generateAnswersAPrompt(model: String) async throws {
        try await withMockAndParley { _, parley in
            let reply = try await parley.post("/ollama/api/generate", json: ["model": .string(model), "prompt": "Why?", "system": "Short."])
            let lines = ndjson(reply)
            #expect(lines.compactMap { $0["response"]?.stringValue }.joined() == "Hello from the mock upstream. You said: Why?")
            #expect(lines.last?["done"] == true)
            #expect(lines.last?["context"] != nil)
        }
    }

    @Test func toolCallsComeBackAsOllamaToolCalls() async throws {
        try await withMockAndParley { _, parley in
            let reply = try await parley.post(
                "/ollama/api/chat",
                json: [
                    "model": "openai/mock-gpt", "stream": false,
                    "messages": [["role": "user", "content": "cats [mock:tool=lookup]"]],
                    "tools": [["type": "function", "function": ["name": "lookup", "parameters": ["type": "object"]]]],
                ])
            let call = reply.json?["message"]?["tool_calls"]?.arrayValue?.first
            #expect(call?["function"]?["name"] == "lookup")
            #expect(call?["function"]?["arguments"] == ["query": "cats"])
        }
    }

    @Test func imagesArePassedOnAsDataURLs() async throws {
        try await withMockAndParley { mock, parley in
            let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
            _ = try await parley.post(
                "/ollama/api/chat",
                json: ["model": "openai/mock-gpt", "stream": false, "messages": [["role": "user", "content": "What?", "images": [.string(png)]]]])
            let content = mock.recorder.requests.last { $0.path == "/v1/chat/completions" }?.body?["messages"]?.arrayValue?.first?["content"]?.arrayValue
            #expect(content?[1]["image_url"]?["url"]?.stringValue == "data:image/png;base64,\(png)")
        }
    }

    @Test(arguments: ["openai/mock-gpt", "ollama/mock-embed"])
    func embedAndTheOlderEmbeddings(model: String) async throws {
        try await withMockAndParley { _, parley in
            let reply = try await parley.post("/ollama/api/embed", json: ["model": .string(model), "input": ["a", "b"]])
            #expect(reply.json?["embeddings"]?.arrayValue?.count == 2)
            let old = try await parley.post("/ollama/api/embeddings", json: ["model": .string(model), "prompt": "a"])
            #expect(old.json?["embedding"] == reply.json?["embeddings"]?.arrayValue?.first)
        }
    }

    @Test func errorsUseOllamasShape() async throws {
        try await withMockAndParley { _, parley in
            let missing = try await parley.post("/ollama/api/chat", json: ["model": "nope", "messages": []])
            #expect(missing.status == 404)
            #expect(missing.json?["error"]?.stringValue?.contains("nope") == true)
            let bad = try await parley.post("/ollama/api/chat", raw: Data("{oops".utf8))
            #expect(bad.status == 400)
            #expect(bad.json?["error"]?.stringValue != nil)
            let streamFault = try await parley.post(
                "/ollama/api/chat", json: ["model": "openai/mock-gpt", "messages": [["role": "user", "content": "[mock:fault=drop]"]]])
            #expect(ndjson(streamFault).last?["error"]?.stringValue != nil)
        }
    }
}
