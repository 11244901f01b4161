/// How long Parley waits on an upstream.
public struct UpstreamTimeouts: Sendable, Hashable {
    /// Establishing the connection.
    public var connect: Duration
    /// From sending the request to the response's status line.
    public var firstByte: Duration
    /// Between two pieces of a response body (a stream that goes silent this long is ended).
    public var idle: Duration

    public init(connect: Duration = .seconds(10), firstByte: Duration = .seconds(120), idle: Duration = .seconds(60)) {
        self.connect = connect
        self.firstByte = firstByte
        self.idle = idle
    }
}
