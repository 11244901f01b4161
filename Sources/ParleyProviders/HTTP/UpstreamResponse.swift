import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// An upstream's answer once its head has arrived; the body follows as it arrives.
struct UpstreamResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: UpstreamBody
}

/// A response body from either client: AsyncHTTPClient (https) or ``PlainHTTPClient`` (plain http).
struct UpstreamBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    enum Source: Sendable {
        case client(HTTPClientResponse.Body)
        case connection(ResponseBodyReader)
    }

    let source: Source

    /// The loop whose thread delivers this body, where a task that reads it loses no time to hand-offs.
    var eventLoop: (any EventLoop)? {
        if case .connection(let reader) = source { return reader.eventLoop }
        return nil
    }

    func makeAsyncIterator() -> Iterator {
        switch source {
        case .client(let body): Iterator(client: body.makeAsyncIterator(), reader: nil)
        case .connection(let reader): Iterator(client: nil, reader: reader)
        }
    }

    struct Iterator: AsyncIteratorProtocol {
        var client: HTTPClientResponse.Body.AsyncIterator?
        let reader: ResponseBodyReader?

        mutating func next() async throws -> ByteBuffer? {
            if let reader { return try await reader.next() }
            return try await client?.next()
        }
    }

    /// The whole body in one buffer; more than `limit` bytes is an error.
    func collect(upTo limit: Int) async throws -> ByteBuffer {
        switch source {
        case .client(let body):
            return try await body.collect(upTo: limit)
        case .connection:
            var whole: ByteBuffer?
            for try await var piece in self {
                guard (whole?.readableBytes ?? 0) + piece.readableBytes <= limit else { throw BodyTooLarge(limit: limit) }
                if whole == nil { whole = piece } else { whole!.writeBuffer(&piece) }
            }
            return whole ?? ByteBuffer()
        }
    }

    struct BodyTooLarge: Error {
        let limit: Int
    }
}
