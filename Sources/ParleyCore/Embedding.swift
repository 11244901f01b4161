/// A request for embeddings of one or more texts.
public struct EmbeddingRequest: Sendable, Hashable {
    public var model: String
    public var input: [String]
    public var dimensions: Int?
    public var user: String?

    public init(model: String, input: [String], dimensions: Int? = nil, user: String? = nil) {
        self.model = model
        self.input = input
        self.dimensions = dimensions
        self.user = user
    }
}

public struct EmbeddingResult: Sendable, Hashable {
    /// One vector per input, in input order.
    public var vectors: [[Float]]
    public var promptTokens: Int

    public init(vectors: [[Float]], promptTokens: Int) {
        self.vectors = vectors
        self.promptTokens = promptTokens
    }
}
