import SQLKit

extension Store {
    /// Full-text search over chunks on PostgreSQL: the `limit` chunks of the collections that `ts_rank`
    /// ranks best for any of the words, in at most two tries.
    ///
    /// Ranking reads every match from the table, and a query with a few common words matches thousands of
    /// chunks. But `ts_rank` (with every position at the same weight, as the `search` column has them)
    /// ranks any chunk holding two of the query's lexemes above any chunk holding one: one lexeme scores
    /// under 0.1 / n however often it occurs, two score at least 2 × 0.1 / 1.645 / n. So the first try
    /// ranks only the chunks with two lexemes or more, found by the index alone; when they are `limit` or
    /// more, they are the answer, exactly as ranking every match would give it. Otherwise the second try
    /// ranks every match, which are few then.
    func postgresSearchChunks(collectionIDs: [String], words: [String], limit: Int) async throws -> [Int64] {
        // The words as the index has them (stemmed, without stop words), each once.
        let operands = try await sql.raw(
            """
            SELECT DISTINCT to_tsquery('english', w)::text AS operand
            FROM unnest(string_to_array(\(bind: words.joined(separator: " ")), ' ')) AS w
            """
        ).all().map { try $0.string("operand") }.filter { !$0.isEmpty }.sorted()
        guard !operands.isEmpty else { return [] }
        // The collections, as the lexemes that the `search` column holds for them.
        let scope = collectionIDs.map { "'K\(Self.compactID($0))'" }.joined(separator: " | ")
        let anyWord = operands.map { Self.isLexeme($0) ? $0 : "(\($0))" }.joined(separator: " | ")
        if operands.count >= 2, operands.allSatisfy(Self.isLexeme) {
            let best = try await rankedChunks(
                matching: Self.twoOrMore(operands), rankedBy: anyWord, scope: scope, limit: limit)
            if best.count == limit { return best }
        }
        return try await rankedChunks(matching: anyWord, rankedBy: anyWord, scope: scope, limit: limit)
    }

    /// The chunks of `scope` that match the query `matching`, best first by `ts_rank` for `rankedBy`.
    func rankedChunks(matching: String, rankedBy: String, scope: String, limit: Int) async throws -> [Int64] {
        try await sql.raw(
            """
            SELECT c.seq FROM knowledge_chunks c, CAST(\(bind: rankedBy) AS tsquery) q
            WHERE c.search @@ CAST(\(bind: matching) AS tsquery) AND c.search @@ CAST(\(bind: scope) AS tsquery)
            ORDER BY ts_rank(c.search, q) DESC, c.seq LIMIT \(bind: limit)
            """
        ).all().map { try $0.int64("seq") }
    }

    /// A query that matches the documents holding at least two of `operands`: `a & (b | c) | b & c` for
    /// three. Its size grows as the square of their number, but checking a document stops at the first
    /// operand of each `&` that it lacks.
    static func twoOrMore(_ operands: [String]) -> String {
        operands.indices.dropLast().map { index in
            "(\(operands[index]) & (\(operands[(index + 1)...].joined(separator: " | "))))"
        }.joined(separator: " | ")
    }

    /// Whether a word's query is one lexeme (`'price'`) rather than several joined (a word that the parser
    /// splits), which the reasoning of ``postgresSearchChunks(collectionIDs:words:limit:)`` needs.
    static func isLexeme(_ operand: String) -> Bool {
        operand.count >= 2 && operand.first == "'" && operand.last == "'" && !operand.contains(" ")
    }
}
