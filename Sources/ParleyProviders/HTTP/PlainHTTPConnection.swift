import NIOCore
import NIOHTTP1

/// What can go wrong on an upstream connection (`UpstreamClient.translate` words it).
enum UpstreamHTTPError: Error {
    case connectTimeout
    case firstByteTimeout
    case idleTimeout
    /// The connection closed before the response's head: on a kept-alive connection that the upstream
    /// closed while it sat idle, the request is sent again on a new one.
    case closedBeforeResponse
    case closedMidResponse
    case malformedResponse
}

/// One kept-alive HTTP/1.1 connection to an upstream: the last handler of its pipeline, after NIO's
/// request encoder and response decoder. It runs one exchange at a time: writes a request's head, body
/// and end with one flush (one system call), hands the response's head to the waiting task and its body
/// to a ``ResponseBodyReader``, and goes back to its pool when the response has ended.
///
/// Confined to its channel's event loop: every method but `send` runs there.
final class PlainHTTPConnection: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    let key: PlainHTTPClient.Key
    let eventLoop: any EventLoop
    private let idleTimeout: TimeAmount
    /// Called when a response has ended and the connection may serve another request.
    private let onReusable: @Sendable (PlainHTTPConnection) -> Void
    /// Called once, when the connection has closed.
    private let onClosed: @Sendable (PlainHTTPConnection) -> Void

    private var context: ChannelHandlerContext?
    private var exchangeCount = 0
    private var state = State.idle
    private var readingPaused = false
    private var readPending = false
    private var idleTimer: Scheduled<Void>?
    private var lastActivity = NIODeadline.now()
    /// When it last went back to its pool (read and written under the pool's lock).
    var idleSince = NIODeadline.now()

    private enum State {
        case idle
        case awaitingHead(
            exchange: Int, continuation: CheckedContinuation<UpstreamResponse, any Error>, timeout: Scheduled<Void>,
            informational: Bool)
        case receivingBody(exchange: Int, body: ResponseBodyReader.Pieces, keepAlive: Bool)
        case closed
    }

    init(
        key: PlainHTTPClient.Key, eventLoop: any EventLoop, idleTimeout: Duration,
        onReusable: @escaping @Sendable (PlainHTTPConnection) -> Void,
        onClosed: @escaping @Sendable (PlainHTTPConnection) -> Void
    ) {
        self.key = key
        self.eventLoop = eventLoop
        self.idleTimeout = TimeAmount(idleTimeout)
        self.onReusable = onReusable
        self.onClosed = onClosed
    }

    /// Sends a request and returns once the response's head has arrived (or fails).
    func send(_ head: HTTPRequestHead, body: ByteBuffer?, firstByte: Duration) async throws -> UpstreamResponse {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard !Task.isCancelled else {
                    // Taken from the pool but not used: closed rather than returned, so that no late
                    // cancellation can reach a request sent on it later.
                    eventLoop.execute { self.close() }
                    continuation.resume(throwing: CancellationError())
                    return
                }
                if eventLoop.inEventLoop {
                    start(head, body: body, firstByte: TimeAmount(firstByte), continuation: continuation)
                } else {
                    eventLoop.execute {
                        self.start(head, body: body, firstByte: TimeAmount(firstByte), continuation: continuation)
                    }
                }
            }
        } onCancel: {
            eventLoop.execute { self.fail(CancellationError(), onlyBeforeHead: true) }
        }
    }

    // MARK: On the event loop

    private func start(
        _ head: HTTPRequestHead, body: ByteBuffer?, firstByte: TimeAmount,
        continuation: CheckedContinuation<UpstreamResponse, any Error>
    ) {
        guard case .idle = state, let context, context.channel.isActive else {
            continuation.resume(throwing: UpstreamHTTPError.closedBeforeResponse)
            return
        }
        exchangeCount += 1
        let exchange = exchangeCount
        let timeout = eventLoop.scheduleTask(in: firstByte) { [self] in
            guard case .awaitingHead(exchange, _, _, _) = state else { return }
            fail(UpstreamHTTPError.firstByteTimeout)
        }
        state = .awaitingHead(exchange: exchange, continuation: continuation, timeout: timeout, informational: false)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .awaitingHead(let exchange, let continuation, let timeout, _)):
            if (100..<200).contains(head.status.code) && head.status != .switchingProtocols {
                // `100 Continue` and the like come before the real head.
                state = .awaitingHead(exchange: exchange, continuation: continuation, timeout: timeout, informational: true)
                return
            }
            timeout.cancel()
            let reader = ResponseBodyReader(connection: self, exchange: exchange)
            state = .receivingBody(exchange: exchange, body: reader.pieces, keepAlive: head.isKeepAlive)
            armIdleTimer()
            continuation.resume(
                returning: UpstreamResponse(status: Int(head.status.code), headers: head.headers, body: UpstreamBody(source: .connection(reader))))
        case (.end, .awaitingHead(let exchange, let continuation, let timeout, true)):
            state = .awaitingHead(exchange: exchange, continuation: continuation, timeout: timeout, informational: false)
        case (.body(let piece), .receivingBody(_, let body, _)):
            if body.receive(piece) { readingPaused = true }
            armIdleTimer()
        case (.end, .receivingBody(_, let body, let keepAlive)):
            idleTimer?.cancel()
            idleTimer = nil
            state = .idle
            body.finish(.success(()))
            if keepAlive && context.channel.isActive {
                onReusable(self)
            } else {
                close()
            }
        default:
            // A response nobody asked for.
            fail(UpstreamHTTPError.malformedResponse)
        }
    }

    func read(context: ChannelHandlerContext) {
        if readingPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .awaitingHead: fail(UpstreamHTTPError.closedBeforeResponse)
        case .receivingBody: fail(UpstreamHTTPError.closedMidResponse)
        case .idle, .closed: close()
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error is HTTPParserError ? UpstreamHTTPError.malformedResponse : error)
    }

    /// The consumer has read enough of the body to take more.
    func resumeReading(exchange: Int) {
        guard case .receivingBody(exchange, _, _) = state, readingPaused else { return }
        readingPaused = false
        armIdleTimer()
        if readPending, let context {
            readPending = false
            context.read()
        }
    }

    /// The consumer of this exchange's body let go of it before its end, or was cancelled.
    func abandon(exchange: Int) {
        switch state {
        case .awaitingHead(exchange, _, _, _), .receivingBody(exchange, _, _):
            fail(CancellationError())
        default:
            break
        }
    }

    /// Ends the current exchange with `error`, and the connection with it.
    func fail(_ error: any Error, onlyBeforeHead: Bool = false) {
        switch state {
        case .awaitingHead(_, let continuation, let timeout, _):
            timeout.cancel()
            state = .closed
            continuation.resume(throwing: error)
        case .receivingBody(_, let body, _):
            guard !onlyBeforeHead else { return }
            state = .closed
            body.finish(.failure(error))
        case .idle, .closed:
            break
        }
        close()
    }

    func close() {
        idleTimer?.cancel()
        idleTimer = nil
        if case .closed = state, context == nil { return }
        state = .closed
        if let context {
            self.context = nil
            context.close(promise: nil)
            onClosed(self)
        }
    }

    /// Notes that the body moved, and makes sure a timer watches for the upstream going silent. One
    /// timer per exchange: when it fires early (the body moved since), it waits for the rest.
    private func armIdleTimer() {
        lastActivity = .now()
        guard idleTimer == nil, !readingPaused, case .receivingBody(let exchange, _, _) = state else { return }
        watchIdle(exchange: exchange, after: idleTimeout)
    }

    private func watchIdle(exchange: Int, after delay: TimeAmount) {
        idleTimer = eventLoop.scheduleTask(in: delay) { [self] in
            idleTimer = nil
            guard case .receivingBody(exchange, _, _) = state, !readingPaused else { return }
            let silent = NIODeadline.now() - lastActivity
            if silent >= idleTimeout {
                fail(UpstreamHTTPError.idleTimeout)
            } else {
                watchIdle(exchange: exchange, after: idleTimeout - silent)
            }
        }
    }
}
