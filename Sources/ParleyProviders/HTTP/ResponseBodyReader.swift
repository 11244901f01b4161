import NIOConcurrencyHelpers
import NIOCore

/// The body of one response on a ``PlainHTTPConnection``: the connection's handler adds pieces on its
/// event loop, one consumer takes them in order.
///
/// Reading from the socket pauses while more than `highWater` bytes wait for the consumer. A consumer
/// that is cancelled, or lets go of the body before its end, closes the connection: the upstream stops
/// at once and the half-read connection is never reused.
final class ResponseBodyReader: Sendable {
    let eventLoop: any EventLoop
    private let connection: PlainHTTPConnection
    private let exchange: Int
    /// What the connection fills; it holds only this, so the reader goes away with its consumer.
    let pieces = Pieces()
    private var state: NIOLockedValueBox<State> { pieces.state }

    static let highWater = 256 * 1024

    final class Pieces: Sendable {
        fileprivate let state = NIOLockedValueBox(State())

        /// Hands a piece to the consumer; returns whether the connection should stop reading for now.
        func receive(_ piece: ByteBuffer) -> Bool {
            let (waiter, pause): (CheckedContinuation<ByteBuffer?, any Error>?, Bool) = state.withLockedValue { state in
                guard state.end == nil else { return (nil, false) }
                if let waiter = state.waiter {
                    state.waiter = nil
                    return (waiter, false)
                }
                state.pieces.append(piece)
                state.bufferedBytes += piece.readableBytes
                if state.bufferedBytes > ResponseBodyReader.highWater { state.readingPaused = true }
                return (nil, state.readingPaused)
            }
            waiter?.resume(returning: piece)
            return pause
        }

        /// Ends the body: its last piece has come (`.success`) or the connection failed.
        func finish(_ result: Result<Void, any Error>) {
            let waiter: CheckedContinuation<ByteBuffer?, any Error>? = state.withLockedValue { state in
                guard state.end == nil else { return nil }
                state.end = result
                guard let waiter = state.waiter else { return nil }
                state.waiter = nil
                if case .failure = result { state.end = .success(()) }
                return waiter
            }
            switch result {
            case .success: waiter?.resume(returning: nil)
            case .failure(let error): waiter?.resume(throwing: error)
            }
        }
    }

    fileprivate struct State {
        var pieces = CircularBuffer<ByteBuffer>()
        var bufferedBytes = 0
        /// Set once the body has ended; `nil` while pieces may still come.
        var end: Result<Void, any Error>?
        var waiter: CheckedContinuation<ByteBuffer?, any Error>?
        var readingPaused = false
    }

    private enum Step {
        case piece(ByteBuffer, resumeReading: Bool)
        case end(Result<Void, any Error>)
        case wait
    }

    init(connection: PlainHTTPConnection, exchange: Int) {
        self.connection = connection
        self.eventLoop = connection.eventLoop
        self.exchange = exchange
    }

    deinit {
        let abandoned = state.withLockedValue { $0.end == nil }
        if abandoned {
            let (connection, exchange) = (connection, exchange)
            eventLoop.execute { connection.abandon(exchange: exchange) }
        }
    }

    func next() async throws -> ByteBuffer? {
        switch state.withLockedValue({ Self.step(&$0) }) {
        case .piece(let piece, let resumeReading):
            if resumeReading { askForMore() }
            return piece
        case .end(let result):
            try result.get()
            return nil
        case .wait:
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let step: Step = state.withLockedValue { state in
                        let step = Self.step(&state)
                        if case .wait = step { state.waiter = continuation }
                        return step
                    }
                    switch step {
                    case .piece(let piece, let resumeReading):
                        if resumeReading { askForMore() }
                        continuation.resume(returning: piece)
                    case .end(let result):
                        continuation.resume(with: result.map { nil })
                    case .wait:
                        break
                    }
                }
            } onCancel: {
                cancel()
            }
        }
    }

    private static func step(_ state: inout State) -> Step {
        if var piece = state.pieces.popFirst() {
            // Everything that has come is handed over at once: a reader of a stream then sees the events
            // of one read from the socket (each a chunk of its own) together.
            while var more = state.pieces.popFirst() { piece.writeBuffer(&more) }
            // Nothing is left waiting, so a paused connection may read again.
            state.bufferedBytes = 0
            let resume = state.readingPaused
            state.readingPaused = false
            return .piece(piece, resumeReading: resume)
        }
        guard let end = state.end else { return .wait }
        // An error is thrown once; after it the body reads as ended.
        if case .failure = end { state.end = .success(()) }
        return .end(end)
    }

    private func askForMore() {
        let (connection, exchange) = (connection, exchange)
        eventLoop.execute { connection.resumeReading(exchange: exchange) }
    }

    private func cancel() {
        let (abandoned, waiter): (Bool, CheckedContinuation<ByteBuffer?, any Error>?) = state.withLockedValue { state in
            guard state.end == nil else { return (false, nil) }
            guard let waiter = state.waiter else {
                state.end = .failure(CancellationError())
                return (true, nil)
            }
            state.end = .success(())
            state.waiter = nil
            return (true, waiter)
        }
        guard abandoned else { return }
        let (connection, exchange) = (connection, exchange)
        eventLoop.execute { connection.abandon(exchange: exchange) }
        waiter?.resume(throwing: CancellationError())
    }
}
