import Foundation
import ParleyCore
import SQLKit

extension Store {
    static let messageColumns = """
        id, chat_id, parent_id, author_id, role, content, parts, model, provider, parameters, prompt_tokens, \
        completion_tokens, latency_ms, status, error, created_ms, updated_ms, citations
        """

    /// Stores a message, makes it the chat's active leaf and counts it. The parent must be in the chat.
    @discardableResult
    public func addMessage(_ message: NewMessage) async throws -> MessageRecord {
        if let parentID = message.parentID {
            let parent = try await sql.raw(
                "SELECT id FROM messages WHERE id = \(bind: parentID) AND chat_id = \(bind: message.chatID)"
            ).first()
            guard parent != nil else {
                throw ParleyError.unprocessable("parent_id: no message '\(parentID)' in this chat", param: "parent_id")
            }
        }
        let now = Clock.nowMilliseconds()
        let created = message.createdAt?.milliseconds ?? now
        let id = Identifier.make(at: created)
        try await database.transaction { database in
            let sql = database as! any SQLDatabase
            try await sql.raw(
                """
                INSERT INTO messages (id, chat_id, parent_id, author_id, role, content, parts, model, provider,
                    parameters, prompt_tokens, completion_tokens, latency_ms, status, error, created_ms, updated_ms, citations)
                VALUES (\(bind: id), \(bind: message.chatID), \(bind: message.parentID), \(bind: message.authorID),
                    \(bind: message.role.rawValue), \(bind: message.content), \(bind: message.parts.map(JSONText.encode)),
                    \(bind: message.model), \(bind: message.provider), \(bind: message.parameters.map(JSONText.encode)),
                    \(bind: message.usage?.promptTokens), \(bind: message.usage?.completionTokens),
                    \(bind: message.latencyMs),
                    \(bind: message.status.rawValue), \(bind: message.error), \(bind: created), \(bind: now),
                    \(bind: message.citations.map(JSONText.encode)))
                """
            ).run()
            try await sql.raw(
                """
                UPDATE chats SET active_leaf_id = \(bind: id), message_count = message_count + 1,
                    updated_ms = \(bind: now) WHERE id = \(bind: message.chatID)
                """
            ).run()
            try await sql.raw(
                "UPDATE chat_members SET updated_ms = \(bind: now) WHERE chat_id = \(bind: message.chatID)"
            ).run()
        }
        return try await self.message(id: id, chatID: message.chatID)
    }

    /// Writes what has arrived of a reply so far, or its final state.
    public func updateMessage(
        id: String, content: String, status: MessageStatus, usage: TokenUsage? = nil, latencyMs: Int64? = nil,
        error: String? = nil, model: String? = nil, provider: String? = nil
    ) async throws {
        try await sql.raw(
            """
            UPDATE messages SET content = \(bind: content), status = \(bind: status.rawValue),
                prompt_tokens = COALESCE(\(bind: usage?.promptTokens), prompt_tokens),
                completion_tokens = COALESCE(\(bind: usage?.completionTokens), completion_tokens),
                latency_ms = COALESCE(\(bind: latencyMs), latency_ms), error = \(bind: error),
                model = COALESCE(\(bind: model), model), provider = COALESCE(\(bind: provider), provider),
                updated_ms = \(bind: Clock.nowMilliseconds())
            WHERE id = \(bind: id)
            """
        ).run()
    }

    public func message(id: String, chatID: String) async throws -> MessageRecord {
        let row = try await sql.raw(
            "SELECT \(unsafeRaw: Self.messageColumns) FROM messages WHERE id = \(bind: id) AND chat_id = \(bind: chatID)"
        ).first()
        guard let row else { throw ParleyError.notFound("no message with id '\(id)' in this chat") }
        return try MessageRecord(row: row)
    }

    /// Every message of a chat, oldest first. The caller has checked the user may read the chat.
    public func messageTree(chatID: String) async throws -> MessageTree {
        let rows = try await sql.raw(
            "SELECT \(unsafeRaw: Self.messageColumns) FROM messages WHERE chat_id = \(bind: chatID) ORDER BY seq"
        ).all()
        return MessageTree(messages: try rows.map(MessageRecord.init(row:)))
    }

    /// Makes the branch through `messageID` active: its newest leaf becomes the chat's active leaf.
    public func selectBranch(chatID: String, userID: String, messageID: String) async throws -> ChatRecord {
        _ = try await chat(id: chatID, userID: userID)
        let tree = try await messageTree(chatID: chatID)
        guard tree.messages.contains(where: { $0.id == messageID }) else {
            throw ParleyError.unprocessable("message_id: no message '\(messageID)' in this chat", param: "message_id")
        }
        return try await updateChat(
            id: chatID, userID: userID, ChatChanges(activeLeafID: tree.newestLeaf(under: messageID)))
    }

    /// Marks replies that were still streaming when a server stopped as partial (run at start-up).
    /// On PostgreSQL other replicas may be streaming right now, so only replies silent for ten minutes count.
    public func closeInterruptedReplies() async throws {
        let silentSince = backend == .sqlite ? Int64.max : Clock.nowMilliseconds() - 600_000
        try await sql.raw(
            """
            UPDATE messages SET status = 'partial', error = 'the server stopped before the reply was complete'
            WHERE status = 'streaming' AND updated_ms < \(bind: silentSince)
            """
        ).run()
    }
}

extension MessageRecord {
    init(row: any SQLRow) throws {
        var usage: TokenUsage?
        if let prompt = try row.optionalInt64("prompt_tokens"),
            let completion = try row.optionalInt64("completion_tokens")
        {
            usage = TokenUsage(promptTokens: Int(prompt), completionTokens: Int(completion))
        }
        self.init(
            id: try row.string("id"), chatID: try row.string("chat_id"), parentID: try row.optionalString("parent_id"),
            authorID: try row.optionalString("author_id"), role: ChatRole(rawValue: try row.string("role")) ?? .user,
            content: try row.string("content"), parts: try row.json("parts"), model: try row.optionalString("model"),
            provider: try row.optionalString("provider"), parameters: try row.json("parameters"), usage: usage,
            latencyMs: try row.optionalInt64("latency_ms"),
            status: MessageStatus(rawValue: try row.string("status")) ?? .complete, error: try row.optionalString("error"),
            createdAt: try row.timestamp("created_ms"), updatedAt: try row.timestamp("updated_ms"), siblingIDs: nil,
            citations: try row.json("citations"))
    }
}
