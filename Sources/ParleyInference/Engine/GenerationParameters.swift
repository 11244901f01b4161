/// What one generation asks for.
public struct GenerationParameters: Sendable, Hashable {
    public var sampling: SamplingSettings
    /// Most tokens to generate; nil runs until an end-of-generation token or the context is full.
    public var maxTokens: Int?
    /// Generation ends before any of these strings; the string itself is not sent.
    public var stop: [String]
    /// A context smaller than the model's, if asked for (Ollama's `num_ctx`).
    public var contextLength: Int?

    public init(
        sampling: SamplingSettings = SamplingSettings(), maxTokens: Int? = nil, stop: [String] = [],
        contextLength: Int? = nil
    ) {
        self.sampling = sampling
        self.maxTokens = maxTokens
        self.stop = stop
        self.contextLength = contextLength
    }
}
