import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// HTTP/1.1 over plain TCP to upstreams on `http://` URLs (model servers on the same machine or
/// network: Ollama, vLLM, llama.cpp, LocalAI), with kept-alive connections pooled per event loop.
///
/// A request made on an event loop's thread (as every request handler is, see `LoopBoundHTTP1Channel`)
/// uses a connection of that loop: the upstream exchange then needs no hand-off between threads, and its
/// request goes out in one write. `https://` upstreams go through AsyncHTTPClient.
final class PlainHTTPClient: Sendable {
    struct Key: Hashable, Sendable {
        var host: String
        var port: Int
    }

    /// An `http://` URL split for a request.
    struct Target: Sendable {
        var key: Key
        /// Path and query, as sent in the request line.
        var path: String
        var hostHeader: String

        /// `nil` for anything but a plain `http://host[:port]/path` URL (https, user info, a bad port).
        init?(_ url: String) {
            guard url.hasPrefix("http://") else { return nil }
            let rest = url.dropFirst("http://".count)
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            guard !authority.isEmpty, !authority.contains("@") else { return nil }
            var host = Substring(authority)
            var port = 80
            if authority.hasPrefix("[") {
                guard let close = authority.firstIndex(of: "]") else { return nil }
                host = authority[authority.index(after: authority.startIndex)..<close]
                let after = authority[authority.index(after: close)...]
                if !after.isEmpty {
                    guard after.hasPrefix(":"), let value = Int(after.dropFirst()) else { return nil }
                    port = value
                }
            } else if let colon = authority.lastIndex(of: ":") {
                guard let value = Int(authority[authority.index(after: colon)...]) else { return nil }
                host = authority[..<colon]
                port = value
            }
            guard !host.isEmpty, (1...65535).contains(port) else { return nil }
            var path = rest[authorityEnd...]
            if let fragment = path.firstIndex(of: "#") { path = path[..<fragment] }
            self.key = Key(host: String(host), port: port)
            self.path = path.isEmpty ? "/" : (path.hasPrefix("?") ? "/" + path : String(path))
            self.hostHeader = String(authority)
        }
    }

    private let pools: [ObjectIdentifier: LoopPool]
    /// Targets already parsed: a provider asks for the same few URLs again and again.
    private let targets = NIOLockedValueBox([String: Target?]())
    private let group: any EventLoopGroup
    private let timeouts: UpstreamTimeouts

    init(group: MultiThreadedEventLoopGroup = .singleton, timeouts: UpstreamTimeouts) {
        self.group = group
        self.timeouts = timeouts
        var pools: [ObjectIdentifier: LoopPool] = [:]
        for loop in group.makeIterator() { pools[ObjectIdentifier(loop)] = LoopPool(eventLoop: loop) }
        self.pools = pools
    }

    /// The target of a plain `http://` URL; `nil` for others.
    func target(_ url: String) -> Target? {
        if let known = targets.withLockedValue({ $0[url] }) { return known }
        let target = Target(url)
        targets.withLockedValue { targets in
            if targets.count >= 1024 { targets.removeAll(keepingCapacity: true) }
            targets[url] = target
        }
        return target
    }

    /// Sends a request; returns once the response's head has arrived.
    func execute(
        _ method: HTTPMethod, _ target: Target, headers: HTTPHeaders, body: [UInt8]?
    ) async throws -> UpstreamResponse {
        // On one of the group's loops `any()` is that loop.
        let loop = group.any()
        guard let pool = pools[ObjectIdentifier(loop)] else { preconditionFailure("a loop outside the client's group") }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: target.path, headers: headers)
        head.headers.replaceOrAdd(name: "host", value: target.hostHeader)
        var buffer: ByteBuffer?
        if let body {
            head.headers.replaceOrAdd(name: "content-type", value: "application/json")
            head.headers.replaceOrAdd(name: "content-length", value: String(body.count))
            buffer = ByteBuffer(bytes: body)
        }
        if let connection = pool.take(target.key) {
            do {
                return try await connection.send(head, body: buffer, firstByte: timeouts.firstByte)
            } catch UpstreamHTTPError.closedBeforeResponse {
                // The upstream closed the idle connection as the request went out: once more on a new one.
            }
        }
        let connection = try await connect(target.key, pool: pool)
        return try await connection.send(head, body: buffer, firstByte: timeouts.firstByte)
    }

    private func connect(_ key: Key, pool: LoopPool) async throws -> PlainHTTPConnection {
        let connection = PlainHTTPConnection(
            key: key, eventLoop: pool.eventLoop, idleTimeout: timeouts.idle,
            onReusable: { pool.put($0) }, onClosed: { pool.remove($0) })
        let bootstrap = ClientBootstrap(group: pool.eventLoop)
            .connectTimeout(TimeAmount(timeouts.connect))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(connection)
                }
            }
        do {
            _ = try await bootstrap.connect(host: key.host, port: key.port).get()
        } catch ChannelError.connectTimeout {
            throw UpstreamHTTPError.connectTimeout
        } catch let error as NIOConnectionError
            where error.connectionErrors.contains(where: { if case ChannelError.connectTimeout = $0.error { true } else { false } })
        {
            throw UpstreamHTTPError.connectTimeout
        }
        return connection
    }

    /// Closes the idle connections (those in use close when their response ends).
    func shutdown() {
        for pool in pools.values { pool.closeAll() }
    }
}

/// The idle connections of one event loop, by host and port, the most recently used first.
private final class LoopPool: Sendable {
    let eventLoop: any EventLoop
    private let idle = NIOLockedValueBox(Idle())
    /// The most idle connections kept per host and port.
    static let maxIdle = 64
    /// An idle connection older than this is closed (upstreams close theirs after a while too).
    static let maxIdleTime = TimeAmount.seconds(60)

    private struct Idle {
        var connections: [PlainHTTPClient.Key: [PlainHTTPConnection]] = [:]
        var sweepScheduled = false
        var closed = false
    }

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func take(_ key: PlainHTTPClient.Key) -> PlainHTTPConnection? {
        let oldest = NIODeadline.now() - Self.maxIdleTime
        let (connection, expired): (PlainHTTPConnection?, [PlainHTTPConnection]) = idle.withLockedValue { idle in
            var expired: [PlainHTTPConnection] = []
            while let connection = idle.connections[key]?.popLast() {
                if connection.idleSince > oldest { return (connection, expired) }
                expired.append(connection)
            }
            return (nil, expired)
        }
        closeLater(expired)
        return connection
    }

    func put(_ connection: PlainHTTPConnection) {
        let (evicted, sweep): ([PlainHTTPConnection], Bool) = idle.withLockedValue { idle in
            guard !idle.closed else { return ([connection], false) }
            connection.idleSince = .now()
            idle.connections[connection.key, default: []].append(connection)
            var evicted: [PlainHTTPConnection] = []
            if idle.connections[connection.key]!.count > Self.maxIdle {
                evicted.append(idle.connections[connection.key]!.removeFirst())
            }
            defer { idle.sweepScheduled = true }
            return (evicted, !idle.sweepScheduled)
        }
        closeLater(evicted)
        if sweep { scheduleSweep() }
    }

    func remove(_ connection: PlainHTTPConnection) {
        idle.withLockedValue { idle in
            idle.connections[connection.key]?.removeAll { $0 === connection }
        }
    }

    func closeAll() {
        let all = idle.withLockedValue { idle in
            idle.closed = true
            defer { idle.connections = [:] }
            return idle.connections.values.flatMap { $0 }
        }
        closeLater(all)
    }

    private func scheduleSweep() {
        eventLoop.scheduleTask(in: Self.maxIdleTime) { [self] in
            let oldest = NIODeadline.now() - Self.maxIdleTime
            let (expired, again): ([PlainHTTPConnection], Bool) = idle.withLockedValue { idle in
                var expired: [PlainHTTPConnection] = []
                for (key, connections) in idle.connections {
                    expired += connections.filter { $0.idleSince <= oldest }
                    idle.connections[key] = connections.filter { $0.idleSince > oldest }
                }
                idle.sweepScheduled = idle.connections.values.contains { !$0.isEmpty }
                return (expired, idle.sweepScheduled)
            }
            closeLater(expired)
            if again { scheduleSweep() }
        }
    }

    private func closeLater(_ connections: [PlainHTTPConnection]) {
        guard !connections.isEmpty else { return }
        eventLoop.execute {
            for connection in connections { connection.close() }
        }
    }
}
