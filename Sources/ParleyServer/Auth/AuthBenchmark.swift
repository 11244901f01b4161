import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ParleyStorage

/// What `parley-auth-bench` measures: the cost of checking an API key inside Parley, without HTTP.
@_spi(Benchmarks)
public enum AuthBenchmark {
    public struct Result: Sendable {
        /// A valid key, found in the cache of verified keys (the common case).
        public var cachedKey: Duration
        /// A valid key looked up in the database (the first request of a key, or after 10 s).
        public var uncachedKey: Duration
        /// A key that does not exist (refused from the cache of unknown keys).
        public var wrongKey: Duration
        /// No credentials at all.
        public var noCredentials: Duration
    }

    /// Per-request time of each case, over `iterations` requests, on a fresh SQLite store in `dataDirectory`.
    public static func run(dataDirectory: String, iterations: Int) async throws -> Result {
        var logger = Logger(label: "parley.auth-bench")
        logger.logLevel = .error
        let store = try await Store.open(url: nil, dataDirectory: dataDirectory, logger: logger)
        defer { Task { await store.close() } }
        let user = try await store.createUser(username: "bench")
        let (_, secret) = try await store.createAPIKey(userID: user.id, NewAPIKey(name: "bench"))
        let authenticator = Authenticator(mode: .local, settings: AuthSettings(), store: store, logger: logger)

        func request(_ authorization: String?) -> Request {
            var fields = HTTPFields()
            if let authorization { fields[.authorization] = authorization }
            let head = HTTPRequest(method: .get, scheme: "http", authority: "bench", path: "/v1/models", headerFields: fields)
            return Request(head: head, body: RequestBody(buffer: ByteBuffer()))
        }
        func time(_ count: Int, _ body: () async throws -> Void) async rethrows -> Duration {
            let start = ContinuousClock.now
            for _ in 0..<count { try await body() }
            return (ContinuousClock.now - start) / count
        }
        let valid = request("Bearer \(secret)")
        let wrong = request("Bearer pk_" + String(repeating: "x", count: 43))
        let anonymous = request(nil)
        _ = try await authenticator.authenticate(valid, remote: "127.0.0.1")
        _ = try? await authenticator.authenticate(wrong, remote: "127.0.0.1")

        let cached = try await time(iterations) { _ = try await authenticator.authenticate(valid, remote: "127.0.0.1") }
        let uncached = try await time(max(1, iterations / 20)) {
            authenticator.forgetCached()
            _ = try await authenticator.authenticate(valid, remote: "127.0.0.1")
        }
        let refused = await time(iterations) { _ = try? await authenticator.authenticate(wrong, remote: "127.0.0.1") }
        let none = await time(iterations) { _ = try? await authenticator.authenticate(anonymous, remote: "127.0.0.1") }
        return Result(cachedKey: cached, uncachedKey: uncached, wrongKey: refused, noCredentials: none)
    }
}
