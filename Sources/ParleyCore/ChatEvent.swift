/// What a provider streams back: text, tool calls, usage, and one finish.
public enum ChatEvent: Sendable, Hashable {
    /// A piece of the answer's text.
    case delta(String)
    /// A piece of a tool call. The first piece of a call carries its id and name; later pieces add
    /// to its arguments. `index` tells calls apart when several are made at once.
    case toolCall(ToolCallDelta)
    /// Token counts (and, where known, timings) of the whole request.
    case usage(Usage)
    /// The answer is complete.
    case finish(FinishReason)
}

public struct ToolCallDelta: Sendable, Hashable {
    public var index: Int
    public var id: String?
    public var name: String?
    public var arguments: String

    public init(index: Int, id: String? = nil, name: String? = nil, arguments: String = "") {
        self.index = index
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// Why the model stopped.
public enum FinishReason: String, Sendable, Hashable, Codable {
    case stop
    case length
    case toolCalls = "tool_calls"
    case contentFilter = "content_filter"
}

/// Token counts, and the measured timings where the provider knows them (in nanoseconds, as
/// Ollama reports them).
public struct Usage: Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var promptDurationNanos: UInt64?
    public var completionDurationNanos: UInt64?
    public var loadDurationNanos: UInt64?

    public var totalTokens: Int { promptTokens + completionTokens }

    public init(
        promptTokens: Int,
        completionTokens: Int,
        promptDurationNanos: UInt64? = nil,
        completionDurationNanos: UInt64? = nil,
        loadDurationNanos: UInt64? = nil
    ) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.promptDurationNanos = promptDurationNanos
        self.completionDurationNanos = completionDurationNanos
        self.loadDurationNanos = loadDurationNanos
    }
}
