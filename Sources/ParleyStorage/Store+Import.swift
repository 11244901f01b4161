import Foundation
import ParleyCore
import SQLKit

extension Store {
    /// Messages written per INSERT statement: 16 values each stays far below both databases' limits on
    /// bound values, and far fewer round trips than one statement a message.
    static let importBatchSize = 200

    /// Creates a chat from an archive, owned by `ownerID`: the original times, every message with the tree
    /// kept (each gets a new id), and the archive's active branch. All of it is written in one transaction,
    /// so a failure leaves nothing behind.
    ///
    /// - Throws: the errors of ``ChatArchive/validatedInsertionOrder()`` for an archive that cannot be
    ///   imported; `ParleyError.notFound` when there is no such user.
    public func importChat(ownerID: String, archive: ChatArchive) async throws -> ChatRecord {
        try await importChat(ownerID: ownerID, archive: archive, beforeMessage: { _ in })
    }

    /// `beforeMessage` runs before each message is written (given its place in the insertion order), so
    /// tests can fail an import partway through.
    func importChat(
        ownerID: String, archive: ChatArchive, beforeMessage: @escaping @Sendable (Int) throws -> Void
    ) async throws -> ChatRecord {
        let order = try archive.validatedInsertionOrder()
        let title = try Self.validTitle(Self.withoutNUL(archive.title))
        _ = try await user(id: ownerID)
        let rows = Self.importRows(archive: archive, order: order, ownerID: ownerID)
        let created = archive.createdAt.milliseconds
        let updated = max(created, archive.updatedAt.milliseconds, rows.map(\.created).max() ?? created)
        let chatID = Identifier.make(at: created)
        let leafID = archive.activeLeafID.flatMap { leaf in rows.first { $0.sourceID == leaf }?.id } ?? rows.last?.id
        var settings = archive.settings
        settings.parameters = SecretRedaction.redacted(settings.parameters)
        let settingsText = JSONText.encode(settings)
        try await database.transaction { database in
            let sql = database as! any SQLDatabase
            try await sql.raw(
                """
                INSERT INTO chats (id, owner_id, title, settings, tags, active_leaf_id, message_count, created_ms,
                    updated_ms)
                VALUES (\(bind: chatID), \(bind: ownerID), \(bind: title), \(bind: settingsText),
                    \(bind: JSONText.encode(archive.tags)), \(bind: leafID), \(bind: rows.count), \(bind: created),
                    \(bind: updated))
                """
            ).run()
            // The member's time orders the chat list: an old conversation files in among the old ones.
            try await sql.raw(
                """
                INSERT INTO chat_members (chat_id, user_id, role, pinned, archived, updated_ms)
                VALUES (\(bind: chatID), \(bind: ownerID), 'owner', \(bind: false), \(bind: false), \(bind: updated))
                """
            ).run()
            var start = 0
            while start < rows.count {
                let batch = rows[start..<min(start + Self.importBatchSize, rows.count)]
                for position in batch.indices { try beforeMessage(position) }
                try await sql.raw(Self.insertMessages(batch, chatID: chatID)).run()
                start += batch.count
            }
        }
        return try await chat(id: chatID, userID: ownerID)
    }

    /// The whole chat as an archive, for export. The user must be able to read the chat.
    public func exportChat(id: String, userID: String) async throws -> ChatArchive {
        let chat = try await chat(id: id, userID: userID)
        return ChatArchive(chat: chat, tree: try await messageTree(chatID: id))
    }

    /// A message row ready to write, its parent already given its new id.
    struct ImportRow: Sendable {
        var id: String
        var sourceID: String
        var parentID: String?
        var authorID: String?
        var message: ChatArchive.Message
        var created: Int64
    }

    static func importRows(archive: ChatArchive, order: [Int], ownerID: String) -> [ImportRow] {
        var newIDs: [String: String] = [:]
        newIDs.reserveCapacity(order.count)
        return order.map { index in
            var message = archive.messages[index]
            let id = Identifier.make(at: message.createdAt.milliseconds)
            newIDs[message.id] = id
            message.content = withoutNUL(message.content)
            message.error = message.error.map(withoutNUL)
            // Nothing will finish a reply that was streaming when it was exported.
            if message.status == .streaming { message.status = .partial }
            return ImportRow(
                id: id, sourceID: message.id, parentID: message.parentID.flatMap { newIDs[$0] },
                authorID: message.role == .user ? ownerID : nil, message: message,
                created: message.createdAt.milliseconds)
        }
    }

    private static func insertMessages(_ rows: ArraySlice<ImportRow>, chatID: String) -> SQLQueryString {
        var query = SQLQueryString(
            """
            INSERT INTO messages (id, chat_id, parent_id, author_id, role, content, parts, model, provider, parameters,
                prompt_tokens, completion_tokens, latency_ms, status, error, created_ms, updated_ms) VALUES
            """)
        for (offset, row) in rows.enumerated() {
            let message = row.message
            query.appendInterpolation(
                SQLQueryString(
                    """
                    \(unsafeRaw: offset == 0 ? " " : ", ")(\(bind: row.id), \(bind: chatID), \(bind: row.parentID),
                        \(bind: row.authorID), \(bind: message.role.rawValue), \(bind: message.content),
                        \(bind: message.parts.map(JSONText.encode)), \(bind: message.model.map(withoutNUL)),
                        \(bind: message.provider.map(withoutNUL)),
                        \(bind: message.parameters.map { JSONText.encode(SecretRedaction.redacted($0)) }),
                        \(bind: message.usage?.promptTokens), \(bind: message.usage?.completionTokens),
                        \(bind: message.latencyMs),
                        \(bind: message.status.rawValue), \(bind: message.error), \(bind: row.created),
                        \(bind: row.created))
                    """))
        }
        return query
    }

    /// PostgreSQL cannot store a NUL character in text; an archive from elsewhere may hold one.
    static func withoutNUL(_ text: String) -> String {
        text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "") : text
    }
}
