/// A model server Parley can talk to: an upstream over HTTP, or the built-in engine.
///
/// Providers translate between the canonical types and their own wire format; they know nothing
/// of the surfaces that call them.
public protocol ChatProvider: Sendable {
    /// The provider's name in the configuration; the first half of `provider/model` ids.
    var name: String { get }

    /// The models the provider offers right now. Throws when the provider cannot be reached.
    func listModels() async throws -> [ModelInfo]

    /// Starts a chat. `request.model` is the provider's own model name.
    ///
    /// Errors known before the first event (unknown model, upstream refused the request) are thrown
    /// here, so a surface can answer them with a status code; errors after that end the stream.
    /// Cancelling the task that iterates the stream cancels the upstream work.
    func chat(_ request: ChatRequest) async throws -> AsyncThrowingStream<ChatEvent, any Error>

    /// The whole answer to a request that is not streamed, as its events in order.
    ///
    /// By default `chat`'s stream, collected; an upstream that answers in one body can hand its events
    /// over without a stream in between (the gateway's non-streamed requests go through here).
    func answer(_ request: ChatRequest) async throws -> [ChatEvent]

    /// `chat`'s events in batches: those that arrived together (one read from an upstream) come in one
    /// batch, which a surface writes to its client at once. By default a batch per event.
    func chatInBatches(_ request: ChatRequest) async throws -> AsyncThrowingStream<[ChatEvent], any Error>
}

extension ChatProvider {
    public func answer(_ request: ChatRequest) async throws -> [ChatEvent] {
        var events: [ChatEvent] = []
        for try await event in try await chat(request) { events.append(event) }
        return events
    }

    public func chatInBatches(_ request: ChatRequest) async throws -> AsyncThrowingStream<[ChatEvent], any Error> {
        let events = EventIterator(try await chat(request).makeAsyncIterator())
        return AsyncThrowingStream { try await events.next().map { [$0] } }
    }
}

/// A stream's iterator behind a reference, for a stream made by unfolding another: only that stream's
/// one consumer calls it, one call at a time.
private final class EventIterator: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<ChatEvent, any Error>.AsyncIterator

    init(_ iterator: AsyncThrowingStream<ChatEvent, any Error>.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> ChatEvent? {
        try await iterator.next()
    }
}

/// A provider that can also embed texts.
public protocol EmbeddingProvider: ChatProvider {
    /// `request.model` is the provider's own model name.
    func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResult
}
