import Foundation
import ParleyInference
import Synchronization
import Testing

/// The parity fixtures generated from llama.cpp by scripts/fixtures/tokenizer_fixtures.py, and the
/// vocabularies they were generated from.
enum TokenizerFixtures {
    /// The vocabularies with fixtures: the default model and llama.cpp's vocab-only files.
    static let names = ["smollm", "llama-bpe", "qwen2", "gpt-2", "llama-spm", "gpt-2-default"]

    struct Case: Decodable {
        var ids: [Int32]
        var plainIDs: [Int32]?
        var decoded: String?
        var decodedHex: String?
        var rendered: String?
        var renderedHex: String?
    }

    struct AddSpecialCase: Decodable {
        var text: String
        var ids: [Int32]
        var decodedRemovingSpecial: String?
    }

    struct Expectations: Decodable {
        var vocabulary: String
        var overrides: [String: String]
        var tokenCount: Int
        var bosID: Int32?
        var eosID: Int32?
        var addsBOS: Bool
        var addsEOS: Bool
        var endOfGenerationIDs: [Int32]
        var specialAttributes: [[UInt32]]
        var pieceDigest: String
        var pieceDigestRendered: String
        var addSpecialCases: [AddSpecialCase]
        var cases: [Case]
    }

    static func directory() throws -> URL {
        let resources = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return resources.appendingPathComponent("tokenizer")
    }

    static func corpus() throws -> [String] {
        try JSONDecoder().decode(
            [String].self, from: Data(contentsOf: directory().appendingPathComponent("corpus.json")))
    }

    static func expectations(_ name: String) throws -> Expectations {
        let url = try directory().appendingPathComponent("\(name).json")
        return try JSONDecoder().decode(Expectations.self, from: Data(contentsOf: url))
    }

    /// The tokenizer a fixture was generated with, built once per test process.
    static func tokenizer(_ name: String) throws -> Tokenizer {
        if let cached = cache.withLock({ $0[name] }) { return cached }
        let expected = try expectations(name)
        let path =
            expected.vocabulary == "default model"
            ? try TestModel.requirePath() : try TestVocabularies.requirePath(expected.vocabulary)
        var vocabulary = try Vocabulary(gguf: GGUFFile(path: path))
        if let pre = expected.overrides["tokenizer.ggml.pre"] { vocabulary.preTokenizer = pre }
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        cache.withLock { $0[name] = tokenizer }
        return tokenizer
    }

    private static let cache = Mutex<[String: Tokenizer]>([:])
}

/// llama.cpp's vocab-only GGUF files, fetched by scripts/fetch-test-vocabs.sh into
/// `PARLEY_TEST_VOCAB_DIR` (or the repository's .build/test-vocabs).
enum TestVocabularies {
    static var directory: String {
        if let directory = ProcessInfo.processInfo.environment["PARLEY_TEST_VOCAB_DIR"], !directory.isEmpty {
            return directory
        }
        // Tests/ParleyInferenceTests/Tokenizer/<this file> -> the repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/test-vocabs").path
    }

    struct Missing: Error, CustomStringConvertible {
        let file: String
        var description: String {
            "The test vocabulary \(file) is not in \(TestVocabularies.directory): run "
                + "`scripts/fetch-test-vocabs.sh DIR` and set PARLEY_TEST_VOCAB_DIR=DIR."
        }
    }

    static func requirePath(_ file: String) throws -> String {
        let path = (directory as NSString).appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(file: file) }
        return path
    }
}
