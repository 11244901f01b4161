import Hummingbird
import Logging
import ParleyCore

/// Streams ``ChatEvent``s to a client in a surface's own framing (OpenAI SSE, Ollama NDJSON).
///
/// Every write is awaited (back-pressure). When the client goes away, the inbound side closes and
/// the event stream is cancelled at once, which cancels the upstream request. An error after the
/// stream has started is sent as the surface's final error frame, then the stream closes.
enum EventStreamResponse {
    static func make<State: Sendable>(
        request: Request,
        contentType: String = "text/event-stream",
        events: AsyncThrowingStream<ChatEvent, any Error>,
        logger: Logger,
        state: State,
        frame: @escaping @Sendable (ChatEvent, inout State) throws -> ByteBuffer?,
        end: @escaping @Sendable (inout State) throws -> ByteBuffer,
        failure: @escaping @Sendable (ParleyError, inout State) -> ByteBuffer
    ) -> Response {
        let requestBody = request.body
        var headers: HTTPFields = [.contentType: contentType, .cacheControl: "no-cache"]
        headers[.init("X-Accel-Buffering")!] = "no"
        // Watching for the client going away means the connection cannot be reused after the stream;
        // say so, or a client would send its next request into a closing connection.
        headers[.connection] = "close"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                var state = state
                try await requestBody.consumeWithCancellationOnInboundClose { _ in
                    do {
                        for try await event in events {
                            if let buffer = try frame(event, &state) { try await writer.write(buffer) }
                        }
                        try await writer.write(try end(&state))
                    } catch let error as ParleyError {
                        logger.warning("Stream ended with an error", metadata: ["parley.error": .string(error.description)])
                        try await writer.write(failure(error, &state))
                    } catch is CancellationError {
                        logger.debug("Client went away; stream cancelled")
                        throw CancellationError()
                    }
                }
                try await writer.finish(nil)
            })
    }
}
