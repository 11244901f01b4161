import ParleyCore
import ParleyInference

extension SamplingParameters {
    /// The engine's parameters for these: what the request leaves out keeps the engine's default.
    var generationParameters: GenerationParameters {
        var sampling = SamplingSettings()
        if let temperature { sampling.temperature = temperature }
        if let topP { sampling.topP = topP }
        if let topK { sampling.topK = max(0, topK) }
        if let minP { sampling.minP = minP }
        if let repeatPenalty { sampling.repeatPenalty = repeatPenalty }
        if let frequencyPenalty { sampling.frequencyPenalty = frequencyPenalty }
        if let presencePenalty { sampling.presencePenalty = presencePenalty }
        if let seed { sampling.seed = UInt64(bitPattern: Int64(seed)) }
        return GenerationParameters(
            sampling: sampling, maxTokens: maxTokens.map { max(0, $0) }, stop: stop, contextLength: contextLength)
    }
}
