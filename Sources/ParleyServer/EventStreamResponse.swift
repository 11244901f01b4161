import Hummingbird
import Logging
import ParleyCore

/// Streams ``ChatEvent``s to a client in a surface's own framing (OpenAI SSE, Ollama NDJSON).
///
/// Every write is awaited (back-pressure). When the client goes away, the next write fails, the loop
/// ends and the event stream is dropped, which cancels the upstream request (within one token of a
/// live stream). Watching the inbound side instead would notice even a silent stream at once, but
/// Hummingbird cannot then keep the connection alive, which costs every client a new connection per
/// stream. An error after the stream has started is sent as the surface's final error frame.
enum EventStreamResponse {
    /// Headers of a stream: not cached, and not buffered by proxies (nginx honours X-Accel-Buffering).
    static func headers(contentType: String) -> HTTPFields {
        var headers: HTTPFields = [.contentType: contentType, .cacheControl: "no-cache"]
        headers[.init("X-Accel-Buffering")!] = "no"
        return headers
    }

    static func make<State: Sendable>(
        contentType: String = "text/event-stream",
        batches: AsyncThrowingStream<[ChatEvent], any Error>,
        logger: Logger,
        state: State,
        frame: @escaping @Sendable (ChatEvent, inout State) throws -> ByteBuffer?,
        end: @escaping @Sendable (inout State) throws -> ByteBuffer,
        failure: @escaping @Sendable (ParleyError, inout State) -> ByteBuffer
    ) -> Response {
        Response(
            status: .ok,
            headers: headers(contentType: contentType),
            body: ResponseBody { writer in
                var state = state
                do {
                    // The frames of events that arrived together go out in one write.
                    for try await batch in batches {
                        var frames: ByteBuffer?
                        for event in batch {
                            guard var buffer = try frame(event, &state) else { continue }
                            if frames == nil { frames = buffer } else { frames!.writeBuffer(&buffer) }
                        }
                        if let frames { try await writer.write(frames) }
                    }
                    try await writer.write(try end(&state))
                } catch let error as ParleyError {
                    logger.warning("Stream ended with an error", metadata: ["parley.error": .string(error.description)])
                    try await writer.write(failure(error, &state))
                }
                try await writer.finish(nil)
            })
    }
}
