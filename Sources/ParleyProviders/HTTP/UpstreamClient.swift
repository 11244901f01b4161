import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix
import ParleyCore
import ServiceLifecycle

/// The HTTP client every upstream provider shares: one connection pool, the configured timeouts,
/// and upstream failures turned into ``ParleyError``s. Run it as a `Service` so its connections
/// are closed on shutdown.
public final class UpstreamClient: Service, Sendable {
    let http: HTTPClient
    let plain: PlainHTTPClient
    public let timeouts: UpstreamTimeouts
    /// The most bytes of an upstream error body or non-streamed answer that are read.
    let maxBufferedBody = 32 * 1024 * 1024

    public init(timeouts: UpstreamTimeouts = UpstreamTimeouts()) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .init(timeouts.connect), read: .init(timeouts.idle))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        // A refused or unreachable upstream fails the request at once (502) instead of being retried until the
        // connect timeout: a gateway answers fast and lets the client decide, and a down provider must not
        // hold up the model list for seconds.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.plain = PlainHTTPClient(timeouts: timeouts)
        self.timeouts = timeouts
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }

    /// Closes the connections; for callers that do not run the client as a service.
    public func shutdown() async throws {
        plain.shutdown()
        try await http.shutdown()
    }

    /// Sends a request and returns the response once its head has arrived: over ``PlainHTTPClient`` for
    /// `http://` URLs, over AsyncHTTPClient for the rest.
    ///
    /// Connection failures become `upstreamUnreachable` (502), no head within the first-byte timeout
    /// `upstreamTimeout` (504), and an error status is read and thrown via `errorDecoder`.
    func send(
        _ method: HTTPMethod,
        _ url: String,
        headers: HTTPHeaders = [:],
        json body: [UInt8]? = nil,
        provider: String,
        errorDecoder: (_ status: Int, _ body: Data) -> ParleyError
    ) async throws -> UpstreamResponse {
        let response: UpstreamResponse
        do {
            if let target = plain.target(url) {
                response = try await plain.execute(method, target, headers: headers, body: body)
            } else {
                var request = HTTPClientRequest(url: url)
                request.method = method
                request.headers = headers
                if let body {
                    request.headers.replaceOrAdd(name: "content-type", value: "application/json")
                    request.body = .bytes(ByteBuffer(bytes: body))
                }
                let answer = try await http.execute(request, timeout: .init(timeouts.firstByte))
                response = UpstreamResponse(
                    status: Int(answer.status.code), headers: answer.headers, body: UpstreamBody(source: .client(answer.body)))
            }
        } catch {
            throw Self.translate(error, provider: provider, timeouts: timeouts)
        }
        guard (200..<300).contains(response.status) else {
            let bytes = try await Self.collect(response.body, limit: 1024 * 1024, provider: provider, timeouts: timeouts)
            throw errorDecoder(response.status, bytes)
        }
        return response
    }

    /// Reads a whole body, up to `limit` bytes.
    static func collect(_ body: UpstreamBody, limit: Int, provider: String, timeouts: UpstreamTimeouts) async throws -> Data {
        do {
            var buffer = try await body.collect(upTo: limit)
            return buffer.readData(length: buffer.readableBytes) ?? Data()
        } catch {
            throw translate(error, provider: provider, timeouts: timeouts)
        }
    }

    /// Turns a client error into what Parley's client should see.
    static func translate(_ error: any Error, provider: String, timeouts: UpstreamTimeouts) -> any Error {
        if error is ParleyError || error is CancellationError { return error }
        if let error = error as? UpstreamBody.BodyTooLarge {
            return ParleyError.upstreamUnreachable("The provider '\(provider)' sent a response over \(error.limit) bytes.")
        }
        if let error = error as? HTTPClientError, error == .cancelled { return CancellationError() }
        if let failure = UpstreamHTTPError(error) {
            switch failure {
            case .connectTimeout:
                return ParleyError.upstreamTimeout(
                    "Connecting to the provider '\(provider)' took longer than \(timeouts.connect.secondsText).")
            case .firstByteTimeout:
                return ParleyError.upstreamTimeout(
                    "The provider '\(provider)' sent no response within \(timeouts.firstByte.secondsText).")
            case .idleTimeout:
                return ParleyError.upstreamTimeout(
                    "The provider '\(provider)' went silent for \(timeouts.idle.secondsText) in the middle of a response.")
            case .closedBeforeResponse, .closedMidResponse:
                return ParleyError.upstreamUnreachable(
                    "The provider '\(provider)' closed the connection before the response was complete.")
            case .malformedResponse:
                return ParleyError.upstreamUnreachable("The provider '\(provider)' sent a malformed HTTP response.")
            }
        }
        if error is NIOConnectionError || error is IOError || error is ChannelError {
            return ParleyError.upstreamUnreachable("The provider '\(provider)' cannot be reached: \(Self.describe(error)).")
        }
        return ParleyError.upstreamUnreachable("The request to the provider '\(provider)' failed: \(Self.describe(error)).")
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            return error.connectionErrors.first.map { "\($0.error)" } ?? "connection failed"
        }
        return "\(error)"
    }
}

extension Duration {
    var secondsText: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

extension UpstreamHTTPError {
    /// The same failures as AsyncHTTPClient and NIO report them.
    init?(_ error: any Error) {
        if let error = error as? UpstreamHTTPError {
            self = error
            return
        }
        if case ChannelError.connectTimeout = error {
            self = .connectTimeout
            return
        }
        switch error as? HTTPClientError {
        case .connectTimeout: self = .connectTimeout
        case .deadlineExceeded: self = .firstByteTimeout
        case .readTimeout: self = .idleTimeout
        case .remoteConnectionClosed: self = .closedBeforeResponse
        case .bodyLengthMismatch: self = .closedMidResponse
        default: return nil
        }
    }
}
