/// Turns texts into unit-length vectors for similarity search: the built-in local model, or any
/// provider's embeddings endpoint.
public protocol TextEmbedder: Sendable {
    /// A name that tells vectors of different models apart (stored with each collection).
    var model: String { get }
    var dimensions: Int { get }
    /// How many tokens the model would read of `text` (for chunk sizes).
    func tokenCount(_ text: String) -> Int
    /// One vector per text, in order, each of length `dimensions` and L2-normalised.
    func embed(_ texts: [String]) async throws -> [[Float]]
}

extension TextEmbedder {
    public func tokenCount(_ text: String) -> Int { Chunker.estimate(text) }
}

/// Scales a vector to unit length (providers do not all normalise).
func normalised(_ vector: [Float]) -> [Float] {
    let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    guard norm > 0 else { return vector }
    return vector.map { $0 / norm }
}
