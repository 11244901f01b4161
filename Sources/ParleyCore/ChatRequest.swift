/// The one request type every surface decodes into and every provider translates from.
public struct ChatRequest: Sendable {
    /// The model as the client named it; the router replaces it by the provider's own model name.
    public var model: String
    public var messages: [ChatMessage]
    public var parameters: SamplingParameters
    public var tools: [ToolDefinition]
    public var toolChoice: ToolChoice?
    public var parallelToolCalls: Bool?
    public var responseFormat: ResponseFormat?
    /// The end user, for upstream abuse tracking.
    public var user: String?
    /// Whether the caller consumes the answer as it is made. When `false`, a provider may fetch the
    /// whole answer in one piece (the events are the same either way).
    public var stream: Bool
    /// Fields of the client's request that Parley does not know, passed on unchanged to upstreams
    /// that speak the same wire format.
    public var passthrough: [String: JSONValue]

    public init(
        model: String,
        messages: [ChatMessage],
        parameters: SamplingParameters = SamplingParameters(),
        tools: [ToolDefinition] = [],
        toolChoice: ToolChoice? = nil,
        parallelToolCalls: Bool? = nil,
        responseFormat: ResponseFormat? = nil,
        user: String? = nil,
        stream: Bool = true,
        passthrough: [String: JSONValue] = [:]
    ) {
        self.model = model
        self.messages = messages
        self.parameters = parameters
        self.tools = tools
        self.toolChoice = toolChoice
        self.parallelToolCalls = parallelToolCalls
        self.responseFormat = responseFormat
        self.user = user
        self.stream = stream
        self.passthrough = passthrough
    }
}

/// How tokens are chosen. `nil` means "the model's or the upstream's default".
public struct SamplingParameters: Sendable, Hashable {
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var minP: Double?
    public var maxTokens: Int?
    public var stop: [String]
    public var seed: Int?
    public var presencePenalty: Double?
    public var frequencyPenalty: Double?
    public var repeatPenalty: Double?
    /// Context window asked for (Ollama's `num_ctx`).
    public var contextLength: Int?

    public init(
        temperature: Double? = nil,
        topP: Double? = nil,
        topK: Int? = nil,
        minP: Double? = nil,
        maxTokens: Int? = nil,
        stop: [String] = [],
        seed: Int? = nil,
        presencePenalty: Double? = nil,
        frequencyPenalty: Double? = nil,
        repeatPenalty: Double? = nil,
        contextLength: Int? = nil
    ) {
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.minP = minP
        self.maxTokens = maxTokens
        self.stop = stop
        self.seed = seed
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.repeatPenalty = repeatPenalty
        self.contextLength = contextLength
    }
}
