import ParleyCore
import SQLKit

extension Store {
    /// The user of auth mode `none`: created on first use, an admin.
    public static let localUsername = "local"

    public func createUser(
        username: String, displayName: String? = nil, role: UserRole = .user, recordInstructions: Bool = false,
        profile: JSONValue = .object([:]), passwordHash: String? = nil
    ) async throws -> UserRecord {
        try Usernames.validate(username)
        if let displayName { try Self.validate(displayName: displayName) }
        guard profile.objectValue != nil else { throw ParleyError.badRequest("profile: expected an object", param: "profile") }
        let now = Clock.nowMilliseconds()
        let id = Identifier.make(at: now)
        try await uniquely("username '\(username)' is taken", param: "username") {
            try await sql.raw(
                """
                INSERT INTO users (id, username, username_key, display_name, profile, role, record_instructions,
                    password_hash, created_ms, updated_ms)
                VALUES (\(bind: id), \(bind: username), \(bind: Usernames.key(username)),
                    \(bind: displayName ?? username), \(bind: JSONText.encode(profile)), \(bind: role.rawValue),
                    \(bind: recordInstructions), \(bind: passwordHash), \(bind: now), \(bind: now))
                """
            ).run()
        }
        return try await user(id: id)
    }

    /// The local user of auth mode `none`, created (as an admin) on first use.
    public func localUser() async throws -> UserRecord {
        if let user = try await user(username: Self.localUsername) { return user }
        do {
            return try await createUser(username: Self.localUsername, displayName: "Local user", role: .admin)
        } catch let error as ParleyError where error.status == 409 {
            return try await user(username: Self.localUsername)!
        }
    }

    public func user(id: String) async throws -> UserRecord {
        let row = try await sql.raw("SELECT * FROM users WHERE id = \(bind: id) AND deleted_ms IS NULL").first()
        guard let row else { throw ParleyError.notFound("no user with id '\(id)'") }
        return try UserRecord(row: row)
    }

    public func user(username: String) async throws -> UserRecord? {
        let row = try await sql.raw(
            "SELECT * FROM users WHERE username_key = \(bind: Usernames.key(username)) AND deleted_ms IS NULL"
        ).first()
        return try row.map(UserRecord.init(row:))
    }

    /// The stored password hash of a live user (for sign-in).
    public func passwordHash(userID: String) async throws -> String? {
        try await sql.raw("SELECT password_hash FROM users WHERE id = \(bind: userID) AND deleted_ms IS NULL")
            .first()?.optionalString("password_hash")
    }

    /// Users by username, a page at a time.
    public func users(cursor: String?, limit: Int?) async throws -> Page<UserRecord> {
        let limit = try Cursor.limit(limit)
        let after = try Cursor.parse(cursor)
        let rows = try await sql.raw(
            """
            SELECT * FROM users WHERE deleted_ms IS NULL AND username_key > \(bind: after?.1 ?? "")
            ORDER BY username_key LIMIT \(bind: limit + 1)
            """
        ).all()
        let users = try rows.prefix(limit).map(UserRecord.init(row:))
        let next = rows.count > limit ? users.last.map { Cursor.make(0, Usernames.key($0.username)) } : nil
        return Page(items: users, nextCursor: next)
    }

    public func updateUser(id: String, _ changes: UserChanges) async throws -> UserRecord {
        var current = try await user(id: id)
        if let username = changes.username {
            try Usernames.validate(username)
            current.username = username
        }
        if let displayName = changes.displayName {
            try Self.validate(displayName: displayName)
            current.displayName = displayName
        }
        if let profile = changes.profile {
            guard profile.objectValue != nil else { throw ParleyError.badRequest("profile: expected an object", param: "profile") }
            current.profile = profile
        }
        if let role = changes.role { current.role = role }
        if let record = changes.recordInstructions { current.recordInstructions = record }
        if let rate = changes.requestsPerMinute { current.requestsPerMinute = rate }
        if let tokens = changes.dailyTokens { current.dailyTokens = tokens }
        let now = Clock.nowMilliseconds()
        try await uniquely("username '\(current.username)' is taken", param: "username") {
            try await sql.raw(
                """
                UPDATE users SET username = \(bind: current.username), username_key = \(bind: Usernames.key(current.username)),
                    display_name = \(bind: current.displayName), profile = \(bind: JSONText.encode(current.profile)),
                    role = \(bind: current.role.rawValue), record_instructions = \(bind: current.recordInstructions),
                    requests_per_minute = \(bind: current.requestsPerMinute), daily_tokens = \(bind: current.dailyTokens),
                    updated_ms = \(bind: now)
                WHERE id = \(bind: id) AND deleted_ms IS NULL
                """
            ).run()
        }
        if let passwordHash = changes.passwordHash {
            try await sql.raw("UPDATE users SET password_hash = \(bind: passwordHash) WHERE id = \(bind: id)").run()
            // A new password signs out every browser that knew the old one.
            try await deleteSessions(userID: id)
        }
        return try await user(id: id)
    }

    /// Soft-deletes a user: their data stays, their username is free again.
    public func deleteUser(id: String) async throws {
        _ = try await user(id: id)
        let now = Clock.nowMilliseconds()
        try await sql.raw("UPDATE users SET deleted_ms = \(bind: now) WHERE id = \(bind: id) AND deleted_ms IS NULL").run()
        try await sql.raw("UPDATE api_keys SET revoked_ms = \(bind: now) WHERE user_id = \(bind: id) AND revoked_ms IS NULL")
            .run()
        try await deleteSessions(userID: id)
    }

    static func validate(displayName: String) throws {
        guard (1...200).contains(displayName.count) else {
            throw ParleyError.badRequest("display_name: must be 1 to 200 characters", param: "display_name")
        }
    }

    /// Runs a write that may break a unique index, turning that into a 409 with `message`.
    func uniquely(_ message: String, param: String? = nil, _ write: () async throws -> Void) async throws {
        do {
            try await write()
        } catch let error as ParleyError {
            throw error
        } catch {
            let text = String(reflecting: error).lowercased()
            if text.contains("unique") || text.contains("duplicate key") || text.contains("23505") {
                throw ParleyError.conflict(message, param: param)
            }
            throw error
        }
    }
}

extension UserRecord {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.string("id"), username: try row.string("username"), displayName: try row.string("display_name"),
            profile: try row.json("profile") ?? .object([:]), role: UserRole(rawValue: try row.string("role")) ?? .user,
            recordInstructions: try row.bool("record_instructions"),
            requestsPerMinute: try row.optionalInt64("requests_per_minute").map(Int.init),
            dailyTokens: try row.optionalInt64("daily_tokens").map(Int.init), createdAt: try row.timestamp("created_ms"),
            updatedAt: try row.timestamp("updated_ms"))
    }
}
