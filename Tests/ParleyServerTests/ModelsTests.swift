import Foundation
import ParleyCore
import ParleyServer
import ParleyTesting
import Testing

@Suite struct ModelsTests {
    @Test func listsTheModelsOfEveryProviderAndTheAliases() async throws {
        try await withMockAndParley({ $0.aliases = ["gpt-3.5-turbo": "ollama/mock-llama:latest"] }) { _, parley in
            let reply = try await parley.get("/v1/models")
            #expect(reply.status == 200)
            #expect(reply.json?["object"] == "list")
            let ids = Set(reply.json?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
            #expect(
                ids == [
                    "openai/mock-gpt", "openai/mock-tools", "azure/mock-azure", "ollama/mock-llama:latest",
                    "ollama/mock-embed:latest", "gpt-3.5-turbo",
                ])
            for model in reply.json?["data"]?.arrayValue ?? [] {
                #expect(model["object"] == "model")
                #expect(model["created"]?.doubleValue != nil)
                #expect(model["owned_by"]?.stringValue != nil)
            }
        }
    }

    @Test func providerThatIsDownIsLeftOutWithoutBreakingTheList() async throws {
        try await withMockAndParley({ configuration in
            configuration.providers.append(
                ProviderConfiguration(name: "down", kind: .ollama, baseURL: "http://127.0.0.1:9"))
        }) { _, parley in
            let reply = try await parley.get("/v1/models")
            #expect(reply.status == 200)
            let ids = reply.json?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.contains("openai/mock-gpt"))
            #expect(!ids.contains { $0.hasPrefix("down/") })
            let ready = try await parley.get("/readyz")
            #expect(ready.status == 200)
            let down = ready.json?["providers"]?.arrayValue?.first { $0["name"] == "down" }
            #expect(down?["reachable"] == false)
        }
    }

    @Test func bareNamesWorkWhenUnambiguousAndAliasesWorkEverywhere() async throws {
        var mock = MockUpstream.Configuration()
        mock.openAIModels = ["mock-gpt", "shared-model"]
        mock.ollamaModels = ["shared-model", "mock-llama:latest"]
        try await withMockAndParley(mock: mock, { $0.aliases = ["gpt-3.5-turbo": "ollama/mock-llama"] }) { _, parley in
            let bare = try await parley.post("/v1/chat/completions", json: chatBody(model: "mock-gpt", "Hi"))
            #expect(bare.status == 200)
            #expect(bare.json?["model"] == "openai/mock-gpt")
            let ollamaBare = try await parley.post("/v1/chat/completions", json: chatBody(model: "mock-llama", "Hi"))
            #expect(ollamaBare.json?["model"] == "ollama/mock-llama:latest")
            let ambiguous = try await parley.post("/v1/chat/completions", json: chatBody(model: "shared-model", "Hi"))
            #expect(ambiguous.status == 400)
            #expect(ambiguous.errorMessage?.contains("openai/shared-model") == true)
            let alias = try await parley.post("/v1/chat/completions", json: chatBody(model: "gpt-3.5-turbo", "Hi"))
            #expect(alias.status == 200)
            #expect(alias.json?["model"] == "ollama/mock-llama:latest")
            let model = try await parley.get("/v1/models/openai/mock-gpt")
            #expect(model.json?["id"] == "openai/mock-gpt")
            #expect(try await parley.get("/v1/models/openai/nothing").status == 404)
        }
    }
}

@Suite struct EmbeddingsTests {
    @Test(arguments: ["openai/mock-gpt", "azure/mock-azure", "ollama/mock-embed"])
    func embedsThroughEveryProviderKind(model: String) async throws {
        try await withMockAndParley { _, parley in
            let reply = try await parley.post(
                "/v1/embeddings", json: ["model": .string(model), "input": ["first text", "second text"]])
            #expect(reply.status == 200)
            let data = try #require(reply.json?["data"]?.arrayValue)
            #expect(data.count == 2)
            #expect(data.map { $0["index"] } == [0, 1])
            let first = data[0]["embedding"]?.arrayValue?.compactMap(\.doubleValue) ?? []
            let expected = MockUpstreamVectors.embedding(of: "first text")
            #expect(first.count == expected.count)
            #expect(zip(first, expected).allSatisfy { abs($0 - $1) < 1e-5 })
            #expect(reply.json?["object"] == "list")
        }
    }

    @Test func base64EncodingCarriesTheSameFloats() async throws {
        try await withMockAndParley { _, parley in
            let reply = try await parley.post(
                "/v1/embeddings", json: ["model": "openai/mock-gpt", "input": "hello", "encoding_format": "base64"])
            let text = try #require(reply.json?["data"]?.arrayValue?.first?["embedding"]?.stringValue)
            let data = try #require(Data(base64Encoded: text))
            let floats = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            let expected = MockUpstreamVectors.embedding(of: "hello")
            #expect(zip(floats.map(Double.init), expected).allSatisfy { abs($0 - $1) < 1e-5 })
        }
    }

    @Test func badEmbeddingRequestsAre400s() async throws {
        try await withMockAndParley { _, parley in
            let missingInput = try await parley.post("/v1/embeddings", json: ["model": "openai/mock-gpt"])
            #expect(missingInput.status == 400)
            let tokens = try await parley.post("/v1/embeddings", json: ["model": "openai/mock-gpt", "input": [1, 2]])
            #expect(tokens.status == 400)
            let unknown = try await parley.post("/v1/embeddings", json: ["model": "nope", "input": "x"])
            #expect(unknown.status == 404)
        }
    }
}

/// The mock's vectors, computed here independently of the HTTP path.
enum MockUpstreamVectors {
    static func embedding(of text: String) -> [Double] {
        MockUpstream.embedding(of: text, dimensions: MockUpstream.Configuration().embeddingDimensions)
    }
}
