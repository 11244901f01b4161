/// How the next token is chosen from the logits. The defaults are llama.cpp's.
public struct SamplingSettings: Sendable, Hashable {
    /// 0 or less picks the most likely token (greedy, deterministic).
    public var temperature: Double = 0.8
    /// Keep the k most likely tokens; 0 keeps all.
    public var topK: Int = 40
    /// Keep the most likely tokens whose probabilities add up to this; 1 keeps all.
    public var topP: Double = 0.95
    /// Drop tokens less likely than this fraction of the most likely one; 0 keeps all.
    public var minP: Double = 0.05
    /// Divides positive (multiplies negative) logits of tokens seen in the last `penaltyWindow`; 1 is off.
    public var repeatPenalty: Double = 1.0
    /// Subtracted once per earlier occurrence of a token in the window.
    public var frequencyPenalty: Double = 0
    /// Subtracted once from every token that occurred in the window.
    public var presencePenalty: Double = 0
    /// How many of the last tokens (prompt included) the penalties look at.
    public var penaltyWindow: Int = 64
    /// The same seed gives the same text for the same prompt; nil draws a fresh one.
    public var seed: UInt64?

    public init() {}

    /// Settings that always pick the most likely token.
    public static var greedy: SamplingSettings {
        var settings = SamplingSettings()
        settings.temperature = 0
        return settings
    }
}
