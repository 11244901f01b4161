import Foundation
import ParleyCore
import SQLKit

extension Store {
    /// The user's own prompts and every shared prompt, most recently changed first.
    public func prompts(userID: String, cursor: String? = nil, limit: Int? = nil) async throws -> Page<PromptRecord> {
        let limit = try Cursor.limit(limit)
        var query = SQLQueryString(
            """
            SELECT * FROM prompts WHERE deleted_ms IS NULL AND (owner_id = \(bind: userID) OR shared = \(bind: true))
            """)
        if let (milliseconds, id) = try Cursor.parse(cursor) {
            query.appendInterpolation(SQLQueryString(" AND (updated_ms, id) < (\(bind: milliseconds), \(bind: id))"))
        }
        query.appendInterpolation(SQLQueryString(" ORDER BY updated_ms DESC, id DESC LIMIT \(bind: limit + 1)"))
        let prompts = try await sql.raw(query).all().map(PromptRecord.init(row:))
        let page = Array(prompts.prefix(limit))
        let next = prompts.count > limit ? page.last.map { Cursor.make($0.updatedAt.milliseconds, $0.id) } : nil
        return Page(items: page, nextCursor: next)
    }

    /// A prompt the user owns, or a shared one; 404 otherwise.
    public func prompt(id: String, userID: String) async throws -> PromptRecord {
        let row = try await sql.raw(
            """
            SELECT * FROM prompts WHERE id = \(bind: id) AND deleted_ms IS NULL
                AND (owner_id = \(bind: userID) OR shared = \(bind: true))
            """
        ).first()
        guard let row else { throw ParleyError.notFound("no prompt with id '\(id)'") }
        return try PromptRecord(row: row)
    }

    public func createPrompt(ownerID: String, title: String, body: String, shared: Bool) async throws -> PromptRecord {
        let title = try Self.validTitle(title)
        try Self.validate(promptBody: body)
        let now = Clock.nowMilliseconds()
        let id = Identifier.make(at: now)
        try await sql.raw(
            """
            INSERT INTO prompts (id, owner_id, title, body, shared, created_ms, updated_ms)
            VALUES (\(bind: id), \(bind: ownerID), \(bind: title), \(bind: body), \(bind: shared), \(bind: now), \(bind: now))
            """
        ).run()
        return try await prompt(id: id, userID: ownerID)
    }

    /// Changes a prompt; only its owner may (others get 403 for a shared prompt, 404 for a private one).
    public func updatePrompt(id: String, userID: String, title: String?, body: String?, shared: Bool?) async throws
        -> PromptRecord
    {
        var prompt = try await ownPrompt(id: id, userID: userID)
        if let title { prompt.title = try Self.validTitle(title) }
        if let body {
            try Self.validate(promptBody: body)
            prompt.body = body
        }
        if let shared { prompt.shared = shared }
        try await sql.raw(
            """
            UPDATE prompts SET title = \(bind: prompt.title), body = \(bind: prompt.body), shared = \(bind: prompt.shared),
                updated_ms = \(bind: Clock.nowMilliseconds())
            WHERE id = \(bind: id)
            """
        ).run()
        return try await self.prompt(id: id, userID: userID)
    }

    public func deletePrompt(id: String, userID: String) async throws {
        _ = try await ownPrompt(id: id, userID: userID)
        try await sql.raw("UPDATE prompts SET deleted_ms = \(bind: Clock.nowMilliseconds()) WHERE id = \(bind: id)").run()
    }

    private func ownPrompt(id: String, userID: String) async throws -> PromptRecord {
        let prompt = try await prompt(id: id, userID: userID)
        guard prompt.ownerID == userID else { throw ParleyError.forbidden("shared prompts are read-only to others") }
        return prompt
    }

    static func validate(promptBody body: String) throws {
        guard !body.isEmpty else { throw ParleyError.badRequest("body: must not be empty", param: "body") }
        guard body.utf8.count <= 100_000 else { throw ParleyError.badRequest("body: at most 100,000 bytes", param: "body") }
    }
}

extension PromptRecord {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.string("id"), ownerID: try row.string("owner_id"), title: try row.string("title"),
            body: try row.string("body"), shared: try row.bool("shared"), createdAt: try row.timestamp("created_ms"),
            updatedAt: try row.timestamp("updated_ms"))
    }
}
