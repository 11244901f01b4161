import Hummingbird
import NIOCore
import ServiceLifecycle

/// Runs an application on a free loopback port for the length of `body`, then shuts it down.
///
/// - Parameter makeApplication: builds the application; it must call the `onServerRunning` it is
///   given once listening (Hummingbird's `Application` does, given the closure).
public func withRunningApplication<App: ApplicationProtocol, Value: Sendable>(
    _ makeApplication: (@escaping @Sendable (any Channel) async -> Void) async throws -> App,
    _ body: (_ port: Int) async throws -> Value
) async throws -> Value {
    let (ports, portContinuation) = AsyncStream<Int>.makeStream()
    let app = try await makeApplication { channel in
        portContinuation.yield(channel.localAddress?.port ?? 0)
        portContinuation.finish()
    }
    // Stopped gracefully (no new connections, in-flight requests finish) rather than by cancelling
    // the server task, which could tear down a connection that is being accepted at that moment.
    var configuration = ServiceGroupConfiguration(services: [.init(service: app)], logger: app.logger)
    configuration.maximumGracefulShutdownDuration = .seconds(3)
    let serviceGroup = ServiceGroup(configuration: configuration)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await serviceGroup.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        let result: Result<Value, any Error>
        do {
            result = .success(try await body(port))
        } catch {
            result = .failure(error)
        }
        await serviceGroup.triggerGracefulShutdown()
        try await group.waitForAll()
        return try result.get()
    }
}

extension MockUpstream {
    /// Runs the mock on a free loopback port while `body` runs; `body` gets its base URL
    /// (`http://127.0.0.1:PORT`).
    public func run<Value: Sendable>(_ body: (_ baseURL: String) async throws -> Value) async throws -> Value {
        try await withRunningApplication({ onRunning in buildApplication(onServerRunning: onRunning) }) { port in
            try await body("http://127.0.0.1:\(port)")
        }
    }
}
