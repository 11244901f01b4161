import Foundation
import ParleyCore
import SQLKit

extension Store {
    static let chatColumns = """
        c.id, c.owner_id, c.title, c.settings, c.tags, c.active_leaf_id, c.message_count, c.created_ms, \
        c.updated_ms, m.pinned, m.archived, m.updated_ms AS member_updated_ms
        """

    public func createChat(
        ownerID: String, title: String?, settings: ChatSettings = ChatSettings(), tags: [String] = [],
        pinned: Bool = false, createdAt: Timestamp? = nil
    ) async throws -> ChatRecord {
        let title = try Self.validTitle(title ?? "New chat")
        try Self.validate(tags: tags)
        let now = Clock.nowMilliseconds()
        let created = createdAt?.milliseconds ?? now
        let id = Identifier.make(at: created)
        try await database.transaction { database in
            let sql = database as! any SQLDatabase
            try await sql.raw(
                """
                INSERT INTO chats (id, owner_id, title, settings, tags, created_ms, updated_ms)
                VALUES (\(bind: id), \(bind: ownerID), \(bind: title), \(bind: JSONText.encode(settings)),
                    \(bind: JSONText.encode(tags)), \(bind: created), \(bind: max(created, now)))
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO chat_members (chat_id, user_id, role, pinned, archived, updated_ms)
                VALUES (\(bind: id), \(bind: ownerID), 'owner', \(bind: pinned), \(bind: false), \(bind: max(created, now)))
                """
            ).run()
        }
        return try await chat(id: id, userID: ownerID)
    }

    /// A chat the user owns or is a member of; 404 otherwise (whether or not it exists).
    public func chat(id: String, userID: String) async throws -> ChatRecord {
        let row = try await sql.raw(
            """
            SELECT \(unsafeRaw: Self.chatColumns) FROM chat_members m JOIN chats c ON c.id = m.chat_id
            WHERE m.chat_id = \(bind: id) AND m.user_id = \(bind: userID) AND c.deleted_ms IS NULL
            """
        ).first()
        guard let row else { throw ParleyError.notFound("no chat with id '\(id)'") }
        return try ChatRecord(row: row)
    }

    /// The user's chats, most recently active first, a page at a time.
    public func chats(
        userID: String, archived: Bool = false, pinned: Bool? = nil, cursor: String? = nil, limit: Int? = nil
    ) async throws -> Page<ChatRecord> {
        let limit = try Cursor.limit(limit)
        let after = try Cursor.parse(cursor)
        var query = SQLQueryString(
            """
            SELECT \(unsafeRaw: Self.chatColumns) FROM chat_members m JOIN chats c ON c.id = m.chat_id
            WHERE m.user_id = \(bind: userID) AND m.archived = \(bind: archived) AND c.deleted_ms IS NULL
            """)
        if let pinned { query.appendInterpolation(unsafeRaw: " AND m.pinned = "); query.appendInterpolation(bind: pinned) }
        // A row comparison, not `a < x OR (a = x AND b < y)`: with bound values SQLite turns only the former
        // into a range of the listing index; the latter scans the user's chats from the top, page after page.
        if let (milliseconds, id) = after {
            query.appendInterpolation(
                SQLQueryString(" AND (m.updated_ms, m.chat_id) < (\(bind: milliseconds), \(bind: id))"))
        }
        query.appendInterpolation(
            SQLQueryString(" ORDER BY m.updated_ms DESC, m.chat_id DESC LIMIT \(bind: limit + 1)"))
        let rows = try await sql.raw(query).all()
        let chats = try rows.prefix(limit).map(ChatRecord.init(row:))
        let next =
            rows.count > limit ? Cursor.make(try rows[limit - 1].int64("member_updated_ms"), chats[limit - 1].id) : nil
        return Page(items: chats, nextCursor: next)
    }

    public func updateChat(id: String, userID: String, _ changes: ChatChanges) async throws -> ChatRecord {
        var chat = try await chat(id: id, userID: userID)
        if let title = changes.title { chat.title = try Self.validTitle(title) }
        if let settings = changes.settings { chat.settings = settings }
        if let tags = changes.tags {
            try Self.validate(tags: tags)
            chat.tags = tags
        }
        if let leaf = changes.activeLeafID {
            let exists = try await sql.raw(
                "SELECT id FROM messages WHERE id = \(bind: leaf) AND chat_id = \(bind: id)"
            ).first()
            guard exists != nil else {
                throw ParleyError.unprocessable("active_leaf_id: no message '\(leaf)' in this chat", param: "active_leaf_id")
            }
            chat.activeLeafID = leaf
        }
        try await sql.raw(
            """
            UPDATE chats SET title = \(bind: chat.title), settings = \(bind: JSONText.encode(chat.settings)),
                tags = \(bind: JSONText.encode(chat.tags)), active_leaf_id = \(bind: chat.activeLeafID)
            WHERE id = \(bind: id)
            """
        ).run()
        if changes.pinned != nil || changes.archived != nil {
            try await sql.raw(
                """
                UPDATE chat_members SET pinned = \(bind: changes.pinned ?? chat.pinned),
                    archived = \(bind: changes.archived ?? chat.archived)
                WHERE chat_id = \(bind: id) AND user_id = \(bind: userID)
                """
            ).run()
        }
        return try await self.chat(id: id, userID: userID)
    }

    /// The owner deletes the chat (soft: its rows stay until purged); a member leaves it.
    public func deleteChat(id: String, userID: String) async throws {
        let chat = try await chat(id: id, userID: userID)
        if chat.ownerID == userID {
            try await sql.raw("UPDATE chats SET deleted_ms = \(bind: Clock.nowMilliseconds()) WHERE id = \(bind: id)").run()
        } else {
            try await sql.raw("DELETE FROM chat_members WHERE chat_id = \(bind: id) AND user_id = \(bind: userID)").run()
        }
    }

    public func members(chatID: String, userID: String) async throws -> [ChatMember] {
        _ = try await chat(id: chatID, userID: userID)
        return try await sql.raw(
            """
            SELECT m.user_id, m.role, u.username FROM chat_members m JOIN users u ON u.id = m.user_id
            WHERE m.chat_id = \(bind: chatID) ORDER BY m.role DESC, u.username_key
            """
        ).all().map {
            ChatMember(userID: try $0.string("user_id"), username: try $0.string("username"), role: try $0.string("role"))
        }
    }

    /// Shares a chat with another user (owner only).
    public func addMember(chatID: String, userID: String, username: String) async throws -> [ChatMember] {
        let chat = try await chat(id: chatID, userID: userID)
        guard chat.ownerID == userID else { throw ParleyError.forbidden("only the chat's owner can share it") }
        guard let member = try await user(username: username) else {
            throw ParleyError.unprocessable("username: no user '\(username)'", param: "username")
        }
        try await sql.raw(
            """
            INSERT INTO chat_members (chat_id, user_id, role, pinned, archived, updated_ms)
            VALUES (\(bind: chatID), \(bind: member.id), 'member', \(bind: false), \(bind: false),
                \(bind: chat.updatedAt.milliseconds))
            ON CONFLICT (chat_id, user_id) DO NOTHING
            """
        ).run()
        return try await members(chatID: chatID, userID: userID)
    }

    /// Removes a member (the owner removes anyone but themself; a member removes themself).
    public func removeMember(chatID: String, userID: String, memberID: String) async throws {
        let chat = try await chat(id: chatID, userID: userID)
        guard memberID != chat.ownerID else { throw ParleyError.unprocessable("the owner cannot leave their own chat") }
        guard chat.ownerID == userID || memberID == userID else {
            throw ParleyError.forbidden("only the chat's owner can remove other members")
        }
        try await sql.raw("DELETE FROM chat_members WHERE chat_id = \(bind: chatID) AND user_id = \(bind: memberID)").run()
    }

    static func validTitle(_ title: String) throws -> String {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ParleyError.badRequest("title: must not be empty", param: "title") }
        guard trimmed.count <= 500 else { throw ParleyError.badRequest("title: at most 500 characters", param: "title") }
        return trimmed
    }

    static func validate(tags: [String]) throws {
        guard tags.count <= 50 else { throw ParleyError.badRequest("tags: at most 50 tags", param: "tags") }
        for (index, tag) in tags.enumerated() where tag.isEmpty || tag.count > 64 {
            throw ParleyError.badRequest("tags[\(index)]: must be 1 to 64 characters", param: "tags[\(index)]")
        }
    }
}

extension ChatRecord {
    init(row: any SQLRow) throws {
        let settings = try row.optionalString("settings").flatMap {
            try? JSONDecoder().decode(ChatSettings.self, from: Data($0.utf8))
        }
        self.init(
            id: try row.string("id"), ownerID: try row.string("owner_id"), title: try row.string("title"),
            settings: settings ?? ChatSettings(), tags: try row.stringArray("tags"), pinned: try row.bool("pinned"),
            archived: try row.bool("archived"), activeLeafID: try row.optionalString("active_leaf_id"),
            messageCount: Int(try row.int64("message_count")), createdAt: try row.timestamp("created_ms"),
            updatedAt: try row.timestamp("updated_ms"))
    }
}
