import Foundation
import ParleyCore
import SQLKit

extension Store {
    /// Keeps one instruction record.
    @discardableResult
    public func addRecord(
        userID: String, action: String, chatID: String? = nil, model: String? = nil, detail: JSONValue = .object([:]),
        outcome: String
    ) async throws -> InstructionRecord {
        let now = Clock.nowMilliseconds()
        let id = Identifier.make(at: now)
        try await sql.raw(
            """
            INSERT INTO instruction_records (id, user_id, action, chat_id, model, detail, outcome, created_ms)
            VALUES (\(bind: id), \(bind: userID), \(bind: action), \(bind: chatID), \(bind: model),
                \(bind: JSONText.encode(detail)), \(bind: outcome), \(bind: now))
            """
        ).run()
        return InstructionRecord(
            id: id, userID: userID, action: action, chatID: chatID, model: model, detail: detail, outcome: outcome,
            createdAt: Timestamp(milliseconds: now))
    }

    /// A user's records, newest first (all users' when `userID` is nil: admins).
    public func records(userID: String?, cursor: String? = nil, limit: Int? = nil) async throws -> Page<InstructionRecord> {
        let limit = try Cursor.limit(limit)
        var query = SQLQueryString("SELECT * FROM instruction_records WHERE 1 = 1")
        if let userID { query.appendInterpolation(SQLQueryString(" AND user_id = \(bind: userID)")) }
        if let (seq, _) = try Cursor.parse(cursor) {
            query.appendInterpolation(SQLQueryString(" AND seq < \(bind: seq)"))
        }
        query.appendInterpolation(SQLQueryString(" ORDER BY seq DESC LIMIT \(bind: limit + 1)"))
        let rows = try await sql.raw(query).all()
        let records = try rows.prefix(limit).map(InstructionRecord.init(row:))
        let next = rows.count > limit ? Cursor.make(try rows[limit - 1].int64("seq"), "") : nil
        return Page(items: records, nextCursor: next)
    }

    public func deleteRecord(id: String, userID: String) async throws {
        let row = try await sql.raw(
            "SELECT id FROM instruction_records WHERE id = \(bind: id) AND user_id = \(bind: userID)"
        ).first()
        guard row != nil else { throw ParleyError.notFound("no record with id '\(id)'") }
        try await sql.raw("DELETE FROM instruction_records WHERE id = \(bind: id)").run()
    }

    /// Deletes all of a user's records; returns how many.
    public func deleteRecords(userID: String) async throws -> Int {
        let count = try await sql.raw(
            "SELECT COUNT(*) AS n FROM instruction_records WHERE user_id = \(bind: userID)"
        ).first()?.int64("n") ?? 0
        try await sql.raw("DELETE FROM instruction_records WHERE user_id = \(bind: userID)").run()
        return Int(count)
    }
}

extension InstructionRecord {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.string("id"), userID: try row.string("user_id"), action: try row.string("action"),
            chatID: try row.optionalString("chat_id"), model: try row.optionalString("model"),
            detail: try row.json("detail") ?? .object([:]), outcome: try row.string("outcome"),
            createdAt: try row.timestamp("created_ms"))
    }
}
