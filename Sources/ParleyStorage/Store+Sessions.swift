import ParleyCore
import SQLKit

/// A signed-in browser. The cookie holds a secret of which only the hash is stored.
public struct SessionRecord: Sendable, Hashable {
    public var id: String
    public var userID: String
    /// Sent back by the browser in `X-CSRF-Token` with every change it asks for.
    public var csrfToken: String
    public var createdAt: Timestamp
    public var expiresAt: Timestamp
}

extension Store {
    /// Starts a session for a user; the returned token goes into the cookie and nowhere else.
    public func createSession(userID: String, lifetimeMilliseconds: Int64) async throws -> (
        session: SessionRecord, token: String
    ) {
        let now = Clock.nowMilliseconds()
        let token = Secrets.make()
        let session = SessionRecord(
            id: Identifier.make(at: now), userID: userID, csrfToken: Secrets.make(),
            createdAt: Timestamp(milliseconds: now), expiresAt: Timestamp(milliseconds: now + lifetimeMilliseconds))
        // Expired sessions of this user go when they sign in again, so the table does not grow forever.
        try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: userID) AND expires_ms <= \(bind: now)").run()
        try await sql.raw(
            """
            INSERT INTO sessions (token_hash, id, user_id, csrf_token, created_ms, expires_ms)
            VALUES (\(bind: Secrets.hash(token)), \(bind: session.id), \(bind: userID), \(bind: session.csrfToken),
                \(bind: now), \(bind: session.expiresAt.milliseconds))
            """
        ).run()
        return (session, token)
    }

    /// The live session of a cookie's token, with its live user.
    public func session(token: String) async throws -> (session: SessionRecord, user: UserRecord)? {
        let row = try await sql.raw(
            """
            SELECT * FROM sessions WHERE token_hash = \(bind: Secrets.hash(token))
                AND expires_ms > \(bind: Clock.nowMilliseconds())
            """
        ).first()
        guard let row else { return nil }
        let session = SessionRecord(
            id: try row.string("id"), userID: try row.string("user_id"), csrfToken: try row.string("csrf_token"),
            createdAt: try row.timestamp("created_ms"), expiresAt: try row.timestamp("expires_ms"))
        guard let user = try? await user(id: session.userID) else { return nil }
        return (session, user)
    }

    /// Ends the session of a cookie's token (signing out).
    public func deleteSession(token: String) async throws {
        try await sql.raw("DELETE FROM sessions WHERE token_hash = \(bind: Secrets.hash(token))").run()
    }

    /// Ends every session of a user (new password, user deleted).
    public func deleteSessions(userID: String) async throws {
        try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
    }
}
