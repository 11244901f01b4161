import Synchronization

/// The built-in engine: one pool of compute threads shared by the models it loads, each loaded
/// once on first use and kept.
public final class InferenceEngine: Sendable {
    public let pool: ComputePool
    /// Positions each model's KV cache holds; nil uses each model's trained context.
    public let contextLength: Int?
    private let models = Mutex<[String: LoadedModel]>([:])

    /// - Parameters:
    ///   - threads: compute threads; by default one per CPU.
    ///   - contextLength: cap on each model's context; by default the model's own.
    public init(threads: Int? = nil, contextLength: Int? = nil) {
        pool = ComputePool(threads: threads)
        self.contextLength = contextLength
    }

    /// The model in the file at `path`, loaded on the first call.
    /// - Throws: `GGUFError` or `ModelLoadingError` when the file cannot be run.
    public func model(at path: String) throws -> LoadedModel {
        try models.withLock { models in
            if let model = models[path] { return model }
            let model = try LoadedModel(file: GGUFFile(path: path), pool: pool, contextLength: contextLength)
            models[path] = model
            return model
        }
    }

    /// The model at `path` if it is loaded.
    public func loadedModel(at path: String) -> LoadedModel? {
        models.withLock { $0[path] }
    }

    /// Forgets a loaded model; it is freed when its last request ends.
    public func unload(path: String) {
        _ = models.withLock { $0.removeValue(forKey: path) }
    }
}
