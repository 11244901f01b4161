import Dispatch
import Foundation
import ParleyInference

/// The built-in embedding model, all-MiniLM-L6-v2, run in-process by the engine's kernels (no server,
/// no API key).
public struct LocalEmbedder: TextEmbedder {
    let encoder: SentenceEncoder

    public var model: String { "local/\(EmbeddingModelLocator.modelName)" }
    public var dimensions: Int { encoder.dimensions }
    /// Pieces of text the model reads whole (its limit less [CLS] and [SEP]).
    public var maxTokens: Int { encoder.maxTokens - 2 }

    /// Loads the model's files from `directory` (`model.safetensors`, `vocab.txt`, `config.json`).
    public init(directory: URL) throws {
        self.encoder = try SentenceEncoder.load(directory: directory)
    }

    public func tokenCount(_ text: String) -> Int { encoder.tokenCount(text) }

    /// Encodes on a thread of its own: the encoder blocks while its compute threads work, which must not
    /// hold up one of the few threads that run every request's tasks.
    public func embed(_ texts: [String]) async throws -> [[Float]] {
        let encoder = encoder
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try encoder.encode(texts) })
            }
        }
    }
}
