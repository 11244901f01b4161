/// A model architecture that turns tokens into next-token logits. One type per architecture
/// (`LlamaModel`), registered in `ModelArchitectures`.
///
/// Calls on one model must not overlap: the engine serialises them (see `LoadedModel`).
public protocol LanguageModel: AnyObject, Sendable {
    /// Number of logits per token.
    var vocabularySize: Int { get }
    /// The context the model was trained for.
    var trainedContextLength: Int { get }

    /// An empty KV cache with room for `capacity` positions.
    func makeCache(capacity: Int) -> KVCache

    /// Runs `tokens` at the positions after those already in `cache`, appending their keys and
    /// values, and writes the logits of the last `outputCount` tokens (`outputCount` rows of
    /// `vocabularySize` floats) to `logits`.
    /// - Precondition: the tokens fit in the cache, and `outputCount <= tokens.count`.
    func evaluate(
        _ tokens: UnsafeBufferPointer<Int32>, cache: KVCache, outputCount: Int, logits: UnsafeMutablePointer<Float>
    )
}
