import Foundation
import ParleyCore
import SQLKit

/// The newest part of a chat's active branch, and whether older messages come before it.
public struct BranchWindow: Sendable {
    /// Oldest first, each with its siblings' ids.
    public var messages: [MessageRecord]
    /// Whether the branch goes on above the first message (ask again with `before` = its id).
    public var hasMore: Bool
}

extension Store {
    /// Up to `limit` messages of the branch ending at `leafID` (or the chat's newest message), ending just
    /// above `before` when given. Reads only the window and its siblings, not the whole tree, so a long
    /// chat opens as fast as a short one.
    public func branchWindow(chatID: String, leafID: String?, limit: Int, before: String? = nil) async throws
        -> BranchWindow
    {
        let start: String?
        if let before {
            let anchor = try await message(id: before, chatID: chatID)
            guard let parent = anchor.parentID else { return BranchWindow(messages: [], hasMore: false) }
            start = parent
        } else if let leafID {
            start = leafID
        } else {
            start = try await sql.raw(
                "SELECT id FROM messages WHERE chat_id = \(bind: chatID) ORDER BY seq DESC LIMIT 1"
            ).first()?.string("id")
        }
        guard let start else { return BranchWindow(messages: [], hasMore: false) }
        let columns = Self.messageColumns.split(separator: ",").map { "m." + $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: ", ")
        let rows = try await sql.raw(
            """
            WITH RECURSIVE branch (id, parent_id, depth) AS (
                SELECT id, parent_id, 0 FROM messages WHERE id = \(bind: start) AND chat_id = \(bind: chatID)
                UNION ALL
                SELECT m.id, m.parent_id, b.depth + 1 FROM messages m JOIN branch b ON m.id = b.parent_id
                WHERE b.depth < \(bind: limit)
            )
            SELECT \(unsafeRaw: columns) FROM branch b JOIN messages m ON m.id = b.id ORDER BY b.depth DESC
            """
        ).all()
        var messages = try rows.map(MessageRecord.init(row:))
        let hasMore = messages.count > limit
        if hasMore { messages.removeFirst() }
        let parents = Array(Set(messages.compactMap(\.parentID)))
        var children: [String: [String]] = [:]
        if !parents.isEmpty {
            var query = SQLQueryString("SELECT id, parent_id FROM messages WHERE parent_id IN (")
            for (index, parent) in parents.enumerated() {
                query.appendInterpolation(unsafeRaw: index == 0 ? "" : ", ")
                query.appendInterpolation(bind: parent)
            }
            query.appendInterpolation(unsafeRaw: ") ORDER BY seq")
            for row in try await sql.raw(query).all() {
                children[try row.string("parent_id"), default: []].append(try row.string("id"))
            }
        }
        if messages.first?.parentID == nil, !messages.isEmpty {
            children[""] = try await sql.raw(
                "SELECT id FROM messages WHERE chat_id = \(bind: chatID) AND parent_id IS NULL ORDER BY seq"
            ).all().map { try $0.string("id") }
        }
        for index in messages.indices {
            messages[index].siblingIDs = children[messages[index].parentID ?? ""] ?? [messages[index].id]
        }
        return BranchWindow(messages: messages, hasMore: hasMore)
    }
}
