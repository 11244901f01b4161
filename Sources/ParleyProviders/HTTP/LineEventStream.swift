import ParleyCore

/// Decodes one line of a streamed upstream body (an SSE line, an NDJSON line) into events.
protocol LineEventDecoder {
    /// The upstream said the answer is over; the rest of the body is not read.
    var isDone: Bool { get }
    /// Whether a stream that ends without `isDone` still holds a whole answer.
    var canEndWithoutDone: Bool { get }
    mutating func decode(line: ArraySlice<UInt8>) throws -> [ChatEvent]
}

extension LineEventDecoder {
    var canEndWithoutDone: Bool { false }
}

enum LineEventStream {
    /// Turns a line-oriented response body into events. When the consumer stops iterating, the
    /// reading task is cancelled, and with it the upstream request.
    static func events<Decoder: LineEventDecoder & Sendable>(
        from body: UpstreamBody, decoder: Decoder, provider: String, timeouts: UpstreamTimeouts
    ) -> AsyncThrowingStream<ChatEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<ChatEvent, any Error>.makeStream()
        let task = read(
            body, decoder: decoder, provider: provider, timeouts: timeouts,
            deliver: { batch in for event in batch { continuation.yield(event) } },
            finish: { continuation.finish(throwing: $0) })
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// The same events in batches: those of one read from the upstream come together.
    static func batches<Decoder: LineEventDecoder & Sendable>(
        from body: UpstreamBody, decoder: Decoder, provider: String, timeouts: UpstreamTimeouts
    ) -> AsyncThrowingStream<[ChatEvent], any Error> {
        let (stream, continuation) = AsyncThrowingStream<[ChatEvent], any Error>.makeStream()
        let task = read(
            body, decoder: decoder, provider: provider, timeouts: timeouts,
            deliver: { continuation.yield($0) },
            finish: { continuation.finish(throwing: $0) })
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private static func read<Decoder: LineEventDecoder & Sendable>(
        _ body: UpstreamBody, decoder: Decoder, provider: String, timeouts: UpstreamTimeouts,
        deliver: @escaping @Sendable ([ChatEvent]) -> Void, finish: @escaping @Sendable ((any Error)?) -> Void
    ) -> Task<Void, Never> {
        // Read on the loop that delivers the body, if there is one.
        Task(executorPreference: body.eventLoop.map { EventLoopTaskExecutor($0) }) {
            var splitter = LineSplitter()
            var decoder = decoder
            do {
                reading: for try await buffer in body {
                    var batch: [ChatEvent] = []
                    defer { if !batch.isEmpty { deliver(batch) } }
                    for line in try splitter.push(buffer) {
                        batch += try decoder.decode(line: line)
                        if decoder.isDone { break reading }
                    }
                }
                if !decoder.isDone, let rest = splitter.finish() {
                    let batch = try decoder.decode(line: rest)
                    if !batch.isEmpty { deliver(batch) }
                }
                guard decoder.isDone || decoder.canEndWithoutDone else {
                    throw ParleyError.upstreamUnreachable(
                        "The provider '\(provider)' closed the stream before the answer was complete.")
                }
                finish(nil)
            } catch is LineSplitter.LineTooLong {
                finish(ParleyError.upstreamUnreachable("The provider '\(provider)' sent an oversized stream line."))
            } catch {
                finish(UpstreamClient.translate(error, provider: provider, timeouts: timeouts))
            }
        }
    }
}
