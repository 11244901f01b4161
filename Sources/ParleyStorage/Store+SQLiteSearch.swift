import SQLKit

/// What a search looks through.
enum SearchTarget {
    case titles
    case messages
}

extension Store {
    /// How many of the newest matches across the server the first try of a SQLite search looks at.
    static let searchCandidates = 10_000

    /// The user's newest matching titles or messages on SQLite, in two tries.
    ///
    /// FTS5 gives matches newest first across every user's chats, which finds a user's newest matches at once
    /// when their chats hold a fair share of them. When they hold few (a new user searching a common word),
    /// that walk would cross everyone's matches, seconds over a million messages; so the first try looks at
    /// the newest matches only, and when those are not enough the second goes through the user's own chats.
    /// (PostgreSQL's planner makes this choice itself, from its statistics.)
    func sqliteSearch(_ target: SearchTarget, userID: String, match: String, limit: Int) async throws -> [any SQLRow] {
        let (table, columns) = Self.searchShape(target)
        let all = SQLQueryString("SELECT rowid FROM \(unsafeRaw: table) WHERE \(unsafeRaw: table) MATCH \(bind: match)")
        let candidates: SQLQueryString = "\(all) ORDER BY rowid DESC LIMIT \(bind: Self.searchCandidates)"
        let newest: SQLQueryString
        switch target {
        case .titles:
            newest = """
                SELECT \(unsafeRaw: columns) FROM (\(candidates)) f JOIN chats c ON c.seq = f.rowid
                JOIN chat_members m ON m.chat_id = c.id AND m.user_id = \(bind: userID)
                WHERE c.deleted_ms IS NULL ORDER BY f.rowid DESC LIMIT \(bind: limit)
                """
        case .messages:
            newest = """
                SELECT \(unsafeRaw: columns) FROM (\(candidates)) f JOIN messages x ON x.seq = f.rowid
                JOIN chat_members m ON m.chat_id = x.chat_id AND m.user_id = \(bind: userID)
                JOIN chats c ON c.id = x.chat_id
                WHERE c.deleted_ms IS NULL ORDER BY f.rowid DESC LIMIT \(bind: limit)
                """
        }
        let rows = try await sql.raw(newest).all()
        guard rows.count < limit else { return rows }
        let seen = try await sql.raw("SELECT COUNT(*) AS n FROM (\(candidates))").first()?.int64("n") ?? 0
        guard seen == Self.searchCandidates else { return rows }

        // The user's own chats, each row tested against the set of matches. CROSS JOIN keeps SQLite from
        // starting at the matches again; the unary + keeps it from looking the matches up one by one in the
        // index of each chat.
        let mine: SQLQueryString
        switch target {
        case .titles:
            mine = """
                SELECT \(unsafeRaw: columns) FROM chat_members m CROSS JOIN chats c ON c.id = m.chat_id
                WHERE m.user_id = \(bind: userID) AND c.deleted_ms IS NULL AND +c.seq IN (\(all))
                ORDER BY c.seq DESC LIMIT \(bind: limit)
                """
        case .messages:
            mine = """
                SELECT \(unsafeRaw: columns) FROM chat_members m CROSS JOIN messages x ON x.chat_id = m.chat_id
                JOIN chats c ON c.id = x.chat_id
                WHERE m.user_id = \(bind: userID) AND c.deleted_ms IS NULL AND +x.seq IN (\(all))
                ORDER BY x.seq DESC LIMIT \(bind: limit)
                """
        }
        return try await sql.raw(mine).all()
    }

    /// The full-text table of a target and the columns its hits are read from.
    static func searchShape(_ target: SearchTarget) -> (table: String, columns: String) {
        switch target {
        case .titles:
            return ("chats_fts", "c.id AS chat_id, c.title AS chat_title, c.title AS text, c.created_ms")
        case .messages:
            return (
                "messages_fts",
                "c.id AS chat_id, c.title AS chat_title, x.id AS message_id, x.role, x.content AS text, x.created_ms"
            )
        }
    }
}
