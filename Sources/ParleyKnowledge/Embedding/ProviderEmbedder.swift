import ParleyCore
import ParleyProviders

/// Embeddings from any provider behind the ``ModelRouter`` (OpenAI, Azure, Ollama, OpenAI-compatible).
public struct ProviderEmbedder: TextEmbedder {
    public let router: ModelRouter
    /// The model as the router names it (`provider/model` or an alias).
    public let modelID: String
    /// Texts per request.
    public var batchSize = 64

    public var model: String { modelID }
    /// Unknown until the provider answers: vectors are as long as the model makes them.
    public var dimensions: Int { 0 }

    public init(router: ModelRouter, modelID: String) {
        self.router = router
        self.modelID = modelID
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        let route = try await router.resolve(modelID)
        guard let provider = route.provider as? any EmbeddingProvider else {
            throw ParleyError.badRequest("\(route.provider.name) cannot make embeddings (\(modelID))")
        }
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let batch = Array(texts[start..<min(start + batchSize, texts.count)])
            let result = try await provider.embed(EmbeddingRequest(model: route.model, input: batch))
            guard result.vectors.count == batch.count else {
                throw ParleyError.internal(
                    "the embeddings endpoint of \(modelID) returned \(result.vectors.count) vectors for \(batch.count) texts"
                )
            }
            vectors += result.vectors.map(normalised)
            start += batch.count
        }
        return vectors
    }
}
