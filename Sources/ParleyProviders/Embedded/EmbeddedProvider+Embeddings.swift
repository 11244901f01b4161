import ParleyCore
import ParleyInference

extension EmbeddedProvider: EmbeddingProvider {
    /// Embeddings from the built-in all-MiniLM-L6-v2 (384 dimensions); GGUF chat models do not embed.
    public func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResult {
        guard LocalEmbeddingModel.answers(request.model) else {
            if try catalog.resolve(request.model) != nil {
                throw ParleyError.badRequest(
                    "The model '\(request.model)' cannot make embeddings; use \(LocalEmbeddingModel.name).",
                    param: "model")
            }
            throw ParleyError.modelNotFound(request.model)
        }
        if let dimensions = request.dimensions, dimensions != 384 {
            throw ParleyError.badRequest(
                "\(LocalEmbeddingModel.name) makes vectors of 384 dimensions, not \(dimensions).", param: "dimensions")
        }
        return try await embeddingModel.embed(request.input)
    }

    /// The built-in sentence encoder itself (loaded, and installed if allowed, on first use), for
    /// callers inside Parley that embed without a request (knowledge ingestion and search); it is the
    /// same instance the embeddings surfaces use.
    /// - Throws: `ParleyError.unavailable` when the model cannot be installed or loaded.
    public func sentenceEncoder() async throws -> SentenceEncoder {
        try await embeddingModel.encoder()
    }
}
