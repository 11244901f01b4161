import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ParleyCore
import ParleyStorage
import Synchronization

/// Who sent a request: the user, and the key or session it came with.
struct Credentials: Sendable {
    var user: UserRecord
    var apiKey: APIKeyRecord?
    var session: SessionRecord?
}

/// Establishes who sent a request, in the configured auth mode: the local user (`none`), an API key
/// (`Authorization: Bearer` or `X-API-Key`, in `local` and `trusted-header`), a session cookie (`local`),
/// or a trusted proxy's header (`trusted-header`).
///
/// Verified keys (and unknown ones) are cached for a few seconds, so a key costs a SHA-256 and a dictionary
/// lookup, not a query; revoking a key here clears the cache at once, on other replicas within that time.
final class Authenticator: Sendable {
    static let sessionCookie = "parley_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    static let apiKeyHeader = HTTPField.Name("X-API-Key")!
    static let cacheLifetime: Duration = .seconds(10)
    static let touchInterval: Duration = .seconds(60)

    private struct CachedKey {
        var credential: (key: APIKeyRecord, user: UserRecord)?
        var fetched: ContinuousClock.Instant
    }

    private struct CachedSession {
        var found: (session: SessionRecord, user: UserRecord)?
        var fetched: ContinuousClock.Instant
    }

    private struct CachedUser {
        var user: UserRecord
        var fetched: ContinuousClock.Instant
    }

    let mode: ParleyConfiguration.AuthMode
    let settings: AuthSettings
    let store: Store
    let logger: Logger
    private let trustedHeader: HTTPField.Name
    private let keys = Mutex<[String: CachedKey]>([:])
    private let headerUsers = Mutex<[String: CachedUser]>([:])
    private let localUser = Mutex<CachedUser?>(nil)
    private let touched = Mutex<[String: ContinuousClock.Instant]>([:])
    private let sessions = Mutex<[String: CachedSession]>([:])
    /// Sessions are cached more briefly than keys: signing out on another replica takes effect here
    /// within this time (on this replica at once).
    static let sessionCacheLifetime: Duration = .seconds(3)

    init(mode: ParleyConfiguration.AuthMode, settings: AuthSettings, store: Store, logger: Logger) {
        self.mode = mode
        self.settings = settings
        self.store = store
        self.logger = logger
        self.trustedHeader = HTTPField.Name(settings.trustedHeader) ?? HTTPField.Name("X-Forwarded-User")!
    }

    /// Forgets every cached key and user, after a key was revoked or a user changed.
    func forgetCached() {
        keys.withLock { $0 = [:] }
        sessions.withLock { $0 = [:] }
        headerUsers.withLock { $0 = [:] }
        localUser.withLock { $0 = nil }
    }

    /// The request's credentials; 401 when it has none (or bad ones).
    func authenticate(_ request: Request, remote: String?) async throws -> Credentials {
        guard let credentials = try await identify(request, remote: remote) else {
            throw ParleyError.unauthorized(
                mode == .local
                    ? "sign in, or send an API key as 'Authorization: Bearer <key>'"
                    : "send an API key as 'Authorization: Bearer <key>', or come through the trusted proxy")
        }
        return credentials
    }

    /// The request's credentials, nil when it has none; bad ones (unknown, revoked or expired keys) are a 401.
    func identify(_ request: Request, remote: String?) async throws -> Credentials? {
        switch mode {
        case .none:
            return Credentials(user: try await theLocalUser())
        case .local, .trustedHeader:
            if let secret = Self.bearerSecret(request) {
                return try await credentials(forKey: secret)
            }
            if mode == .trustedHeader {
                return try await trustedHeaderUser(request, remote: remote).map { Credentials(user: $0) }
            }
            guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty,
                let (session, user) = try await session(token: token)
            else { return nil }
            return Credentials(user: user, session: session)
        }
    }

    private func session(token: String) async throws -> (session: SessionRecord, user: UserRecord)? {
        let hash = Secrets.hash(token)
        let now = ContinuousClock.now
        if let cached = sessions.withLock({ $0[hash] }), now - cached.fetched < Self.sessionCacheLifetime {
            guard let found = cached.found, found.session.expiresAt > Timestamp.now() else { return nil }
            return found
        }
        let found = try await store.session(token: token)
        sessions.withLock { sessions in
            if sessions.count > 10_000 { sessions = [:] }
            sessions[hash] = CachedSession(found: found, fetched: now)
        }
        return found
    }

    static func bearerSecret(_ request: Request) -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                let secret = parts[1].trimmingCharacters(in: .whitespaces)
                return secret.isEmpty ? nil : secret
            }
        }
        if let secret = request.headers[apiKeyHeader], !secret.isEmpty { return secret }
        return nil
    }

    private func credentials(forKey secret: String) async throws -> Credentials {
        let hash = Secrets.hash(secret)
        let now = ContinuousClock.now
        let cached = keys.withLock { keys in
            keys[hash].flatMap { now - $0.fetched < Self.cacheLifetime ? $0 : nil }
        }
        let found: (key: APIKeyRecord, user: UserRecord)?
        if let cached {
            found = cached.credential
        } else {
            found = try await store.apiKeyCredential(secretHash: hash)
            keys.withLock { keys in
                // Guessers could fill the cache with unknown keys: past a size it starts again.
                if keys.count > 10_000 { keys = [:] }
                keys[hash] = CachedKey(credential: found, fetched: now)
            }
        }
        guard let (key, user) = found else { throw ParleyError.unauthorized("invalid API key") }
        if key.revokedAt != nil { throw ParleyError.unauthorized("this API key has been revoked") }
        if let expires = key.expiresAt, expires <= Timestamp.now() {
            throw ParleyError.unauthorized("this API key expired at \(expires.iso8601)")
        }
        noteUse(of: key)
        return Credentials(user: user, apiKey: key)
    }

    /// Writes a key's last use at most once a minute, off the request's path.
    private func noteUse(of key: APIKeyRecord) {
        let now = ContinuousClock.now
        let due = touched.withLock { touched in
            if let last = touched[key.id], now - last < Self.touchInterval { return false }
            if touched.count > 100_000 { touched = [:] }
            touched[key.id] = now
            return true
        }
        guard due else { return }
        let store = self.store
        let logger = self.logger
        Task {
            do { try await store.touchAPIKey(id: key.id, at: .now()) } catch {
                logger.warning("could not note an API key's use", metadata: ["parley.error": "\(error)"])
            }
        }
    }

    /// The user a trusted proxy names, made on first sight; nil when the request did not come from a
    /// trusted proxy or names nobody.
    private func trustedHeaderUser(_ request: Request, remote: String?) async throws -> UserRecord? {
        guard let remote, settings.trustedProxies.contains(where: { $0.contains(remote) }),
            let name = request.headers[trustedHeader]?.trimmingCharacters(in: .whitespaces), !name.isEmpty
        else { return nil }
        let username = Self.username(fromHeader: name)
        let now = ContinuousClock.now
        if let cached = headerUsers.withLock({ $0[username] }), now - cached.fetched < Self.cacheLifetime {
            return cached.user
        }
        var user = try await store.user(username: username)
        if user == nil {
            do {
                user = try await store.createUser(
                    username: username, displayName: String(name.prefix(200)),
                    profile: ["external_id": .string(name)])
                logger.info("user created on first sight", metadata: ["parley.user": "\(username)"])
            } catch let error as ParleyError where error.status == 409 {
                user = try await store.user(username: username)
            }
        }
        guard let user else { return nil }
        headerUsers.withLock { users in
            if users.count > 10_000 { users = [:] }
            users[username] = CachedUser(user: user, fetched: now)
        }
        return user
    }

    /// A proxy's user name as a Parley username: characters usernames cannot hold become `-`
    /// (`user:default/jane` → `user-default-jane`); the original is kept in the profile.
    static func username(fromHeader name: String) -> String {
        var mapped = String(name.unicodeScalars.map { scalar -> Character in
            let allowed = scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || ".-_@".unicodeScalars.contains(scalar)
            return allowed ? Character(scalar) : "-"
        })
        while let first = mapped.unicodeScalars.first, !(first.properties.isAlphabetic || ("0"..."9").contains(first)) {
            mapped.removeFirst()
        }
        return String(mapped.prefix(64))
    }

    private func theLocalUser() async throws -> UserRecord {
        let now = ContinuousClock.now
        if let cached = localUser.withLock({ $0 }), now - cached.fetched < Self.cacheLifetime { return cached.user }
        let user = try await store.localUser()
        localUser.withLock { $0 = CachedUser(user: user, fetched: now) }
        return user
    }

    /// Compares without stopping at the first difference, so timing tells nothing of the right token.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
