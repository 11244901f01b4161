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
        // Read on the loop that delivers the body, if there is one.
        let task = Task(executorPreference: body.eventLoop.map { EventLoopTaskExecutor($0) }) {
            var splitter = LineSplitter()
            var decoder = decoder
            do {
                reading: for try await buffer in body {
                    for line in try splitter.push(buffer) {
                        for event in try decoder.decode(line: line) { continuation.yield(event) }
                        if decoder.isDone { break reading }
                    }
                }
                if !decoder.isDone, let rest = splitter.finish() {
                    for event in try decoder.decode(line: rest) { continuation.yield(event) }
                }
                guard decoder.isDone || decoder.canEndWithoutDone else {
                    throw ParleyError.upstreamUnreachable(
                        "The provider '\(provider)' closed the stream before the answer was complete.")
                }
                continuation.finish()
            } catch is LineSplitter.LineTooLong {
                continuation.finish(
                    throwing: ParleyError.upstreamUnreachable("The provider '\(provider)' sent an oversized stream line."))
            } catch {
                continuation.finish(throwing: UpstreamClient.translate(error, provider: provider, timeouts: timeouts))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
