import HummingbirdCore
import Logging
import NIOCore
import ParleyProviders

/// Hummingbird's HTTP/1.1 channel, with each connection's requests handled on the event loop that reads
/// and writes its socket.
///
/// Without this a request crosses threads several times: the event loop reads it and wakes a thread of
/// Swift's pool to run the handler, the handler's upstream call is written by an event loop and its
/// answer wakes the pool again, and the reply goes back to the event loop to be written. With the
/// connection's loop as the handler task's executor preference all of that stays on one thread, and
/// the upstream client, asked from that thread, prefers a connection on the same loop. Work that would
/// hold a thread for long (model inference, file import, text extraction) already runs elsewhere.
struct LoopBoundHTTP1Channel: ServerChildChannel {
    let http1: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        http1.setup(channel: channel, logger: logger)
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await http1.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with every connection handled on its own event loop (``LoopBoundHTTP1Channel``).
    static func loopBoundHTTP1(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            LoopBoundHTTP1Channel(http1: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}
