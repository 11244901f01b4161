import Foundation
import ParleyCore
import SQLKit

/// A chat or message that matched a search.
public struct SearchHit: Sendable, Hashable, Codable {
    public var chatID: String
    public var chatTitle: String
    /// Nil when the chat's title matched.
    public var messageID: String?
    public var role: ChatRole?
    /// The matched text, shortened around the match.
    public var snippet: String
    public var createdAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case role, snippet
        case chatID = "chat_id"
        case chatTitle = "chat_title"
        case messageID = "message_id"
        case createdAt = "created_at"
    }
}

extension Store {
    /// Full-text search over the titles and message text of the user's chats, newest first. Every word
    /// must match; the last word also matches as a prefix (search as you type) once it has two characters.
    public func search(userID: String, query: String, limit: Int? = nil) async throws -> [SearchHit] {
        let limit = try Cursor.limit(limit ?? 20)
        let words = Self.searchWords(query)
        guard !words.isEmpty else { throw ParleyError.badRequest("q: give at least one word to search for", param: "q") }
        let titleRows: [any SQLRow]
        let messageRows: [any SQLRow]
        switch backend {
        case .sqlite:
            let match = words.enumerated().map { index, word in
                "\"\(word)\"" + (Self.isPrefix(index, of: words) ? "*" : "")
            }.joined(separator: " ")
            titleRows = try await sqliteSearch(.titles, userID: userID, match: match, limit: limit)
            messageRows = try await sqliteSearch(.messages, userID: userID, match: match, limit: limit)
        case .postgres:
            let tsquery = words.enumerated().map { index, word in
                "'\(word.replacingOccurrences(of: "'", with: "''"))'" + (Self.isPrefix(index, of: words) ? ":*" : "")
            }.joined(separator: " & ")
            titleRows = try await sql.raw(
                """
                SELECT c.id AS chat_id, c.title AS chat_title, c.title AS text, c.created_ms
                FROM chats c JOIN chat_members m ON m.chat_id = c.id AND m.user_id = \(bind: userID)
                WHERE c.search @@ to_tsquery('simple', \(bind: tsquery)) AND c.deleted_ms IS NULL
                ORDER BY c.seq DESC LIMIT \(bind: limit)
                """
            ).all()
            messageRows = try await sql.raw(
                """
                SELECT c.id AS chat_id, c.title AS chat_title, x.id AS message_id, x.role, x.content AS text, x.created_ms
                FROM messages x JOIN chat_members m ON m.chat_id = x.chat_id AND m.user_id = \(bind: userID)
                JOIN chats c ON c.id = x.chat_id
                WHERE x.search @@ to_tsquery('simple', \(bind: tsquery)) AND c.deleted_ms IS NULL
                ORDER BY x.seq DESC LIMIT \(bind: limit)
                """
            ).all()
        }
        var hits: [SearchHit] = []
        for row in titleRows + messageRows {
            let text = try row.string("text")
            hits.append(
                SearchHit(
                    chatID: try row.string("chat_id"), chatTitle: try row.string("chat_title"),
                    messageID: try? row.optionalString("message_id"),
                    role: (try? row.optionalString("role")).flatMap { $0.flatMap(ChatRole.init(rawValue:)) },
                    snippet: Self.snippet(of: text, around: words), createdAt: try row.timestamp("created_ms")))
        }
        return Array(hits.prefix(limit))
    }

    /// Whether the word at `index` matches as a prefix: the last word, once it has two characters (every
    /// message has a word that begins with "a", and finding them all is slow).
    static func isPrefix(_ index: Int, of words: [String]) -> Bool {
        index == words.count - 1 && words[index].count >= 2
    }

    /// The words of a query: letters and digits, lower-cased, at most 16.
    static func searchWords(_ query: String) -> [String] {
        let words = query.lowercased().components(separatedBy: CharacterSet.alphanumerics.inverted).filter { !$0.isEmpty }
        return Array(words.prefix(16))
    }

    /// Up to ~160 characters of `text` around the first word that occurs in it.
    static func snippet(of text: String, around words: [String]) -> String {
        let lower = text.lowercased()
        guard text.count > 160,
            let hit = words.lazy.compactMap({ lower.range(of: $0) }).first,
            lower.count == text.count
        else { return String(text.prefix(160)) }
        let offset = lower.distance(from: lower.startIndex, to: hit.lowerBound)
        let start = text.index(text.startIndex, offsetBy: max(0, offset - 60))
        let end = text.index(start, offsetBy: min(160, text.distance(from: start, to: text.endIndex)))
        return (start > text.startIndex ? "…" : "") + text[start..<end] + (end < text.endIndex ? "…" : "")
    }
}
