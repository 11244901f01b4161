import Foundation
import ParleyInference
import Synchronization
import Testing

/// Finds the real default model for tests: `PARLEY_TEST_MODEL`, else the usual places. Tests that
/// need it fail (never pass silently) when it is nowhere.
enum TestModel {
    static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    static var path: String? {
        if let path = ProcessInfo.processInfo.environment["PARLEY_TEST_MODEL"], !path.isEmpty {
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
        let candidates = [
            FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".parley/models/\(fileName)").path,
            "/work/ref/models/\(fileName)",
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "The default model \(TestModel.fileName) was not found: set PARLEY_TEST_MODEL to its path "
                + "or put it in ~/.parley/models (`parley pull smollm2`)."
        }
    }

    /// The model's path, or an error that fails the test with instructions.
    static func requirePath() throws -> String {
        guard let path else { throw Missing() }
        return path
    }

    /// The parsed model file, shared by the tests of one process (it is only read).
    static func file() throws -> GGUFFile {
        let path = try requirePath()
        return try cache.withLock { cached in
            if let cached { return cached }
            let file = try GGUFFile(path: path)
            cached = file
            return file
        }
    }

    private static let cache = Mutex<GGUFFile?>(nil)

    /// Compute threads shared by the tests.
    static let pool = ComputePool(threads: 2)

    /// A freshly loaded model (its own KV cache and queue) on the shared file.
    static func loaded(contextLength: Int = 2048) throws -> LoadedModel {
        try LoadedModel(file: file(), pool: pool, contextLength: contextLength)
    }
}
