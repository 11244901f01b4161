/// What a generation streams: pieces of text as tokens are made, then one summary.
public enum GenerationEvent: Sendable, Hashable {
    case text(String)
    case finished(GenerationSummary)
}

/// Why generation ended.
public enum GenerationFinishReason: String, Sendable, Hashable {
    /// An end-of-generation token or a stop string.
    case stop
    /// The token limit or the end of the context.
    case length
}

/// Counts and timings of one generation.
public struct GenerationSummary: Sendable, Hashable {
    public var finishReason: GenerationFinishReason
    public var promptTokens: Int
    /// Prompt tokens whose keys and values were reused from the previous request.
    public var cachedPromptTokens: Int
    public var completionTokens: Int
    /// The generated token ids (the end-of-generation token excluded).
    public var tokens: [Int32]
    /// Time spent on the prompt (Ollama's `prompt_eval_duration`).
    public var promptDurationNanos: UInt64
    /// Time spent generating (Ollama's `eval_duration`).
    public var completionDurationNanos: UInt64
    /// Time spent waiting for earlier requests to the same model.
    public var queueDurationNanos: UInt64
}
