import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP server on loopback that answers each HTTP request with exactly the bytes a test scripts
/// (to make an upstream misbehave in ways no real server library would), and counts connections.
final class ScriptedHTTPServer: Sendable {
    /// What to do for one request: write bytes, pause, or close the connection.
    enum Step: Sendable {
        case write(String)
        case writeBytes([UInt8])
        case pause(milliseconds: Int64)
        case close
    }

    /// What a request looked like: which connection (counted from 0) and which request on it.
    struct Arrival: Sendable {
        var connection: Int
        var request: Int
        var head: String
    }

    private let channel: any Channel
    private let counters = NIOLockedValueBox((accepted: 0, closed: 0))

    var port: Int { channel.localAddress!.port! }
    var accepted: Int { counters.withLockedValue { $0.accepted } }
    var closed: Int { counters.withLockedValue { $0.closed } }

    init(answer: @escaping @Sendable (Arrival) -> [Step]) async throws {
        let counters = counters
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let index = counters.withLockedValue { counters in
                    defer { counters.accepted += 1 }
                    return counters.accepted
                }
                channel.closeFuture.whenComplete { _ in counters.withLockedValue { $0.closed += 1 } }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(connection: index, answer: answer))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func stop() async {
        try? await channel.close()
    }

    /// Reads requests (a head, and a body of its Content-Length) and plays the script for each.
    private final class RequestHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let connection: Int
        let answer: @Sendable (Arrival) -> [Step]
        var pending = ByteBuffer()
        var requests = 0

        init(connection: Int, answer: @escaping @Sendable (Arrival) -> [Step]) {
            self.connection = connection
            self.answer = answer
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var piece = unwrapInboundIn(data)
            pending.writeBuffer(&piece)
            while let head = nextRequest() {
                let steps = answer(Arrival(connection: connection, request: requests, head: head))
                requests += 1
                play(steps[...], context: context)
            }
        }

        private func nextRequest() -> String? {
            let text = String(buffer: pending)
            guard let end = text.range(of: "\r\n\r\n") else { return nil }
            let head = String(text[..<end.lowerBound])
            let length = head.split(separator: "\r\n")
                .first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            let total = text.utf8.distance(from: text.utf8.startIndex, to: end.upperBound) + length
            guard pending.readableBytes >= total else { return nil }
            pending.moveReaderIndex(forwardBy: total)
            return head
        }

        private func play(_ steps: ArraySlice<Step>, context: ChannelHandlerContext) {
            guard let step = steps.first else { return }
            let rest = steps.dropFirst()
            switch step {
            case .write(let text):
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
                play(rest, context: context)
            case .writeBytes(let bytes):
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: nil)
                play(rest, context: context)
            case .pause(let milliseconds):
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: .milliseconds(milliseconds)) {
                    let (handler, context) = loopBound.value
                    handler.play(rest, context: context)
                }
            case .close:
                context.close(promise: nil)
            }
        }
    }
}

extension ScriptedHTTPServer.Step {
    /// A whole `200 OK` response with a Content-Length.
    static func ok(_ body: String, headers: [String] = []) -> Self {
        .write(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)\r\n"
                + headers.map { $0 + "\r\n" }.joined() + "\r\n" + body)
    }
}
