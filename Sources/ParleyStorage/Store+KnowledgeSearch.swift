import Foundation
import ParleyCore
import SQLKit

extension Store {
    /// Full-text search over the chunks of `collectionIDs`: chunks holding any of `words` (stemmed), best
    /// first by BM25 (SQLite) or by `ts_rank` (PostgreSQL). The words are letters and digits only.
    ///
    /// The collections are part of the full-text query (see ``SchemaMigrations/knowledgeSearchScope``): the
    /// index finds the matches in them alone, and no match is looked up in the chunks table.
    public func searchChunks(collectionIDs: [String], words: [String], limit: Int) async throws -> [Int64] {
        let words = words.filter { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber } }
        guard !words.isEmpty, !collectionIDs.isEmpty else { return [] }
        switch backend {
        case .sqlite: return try await sqliteSearchChunks(collectionIDs: collectionIDs, words: words, limit: limit)
        case .postgres: return try await postgresSearchChunks(collectionIDs: collectionIDs, words: words, limit: limit)
        }
    }

    /// Full-text search over chunks on SQLite: one FTS5 query, which finds the words in the collections'
    /// chunks alone and ranks them by BM25 (headings count twice, the collection not at all).
    func sqliteSearchChunks(collectionIDs: [String], words: [String], limit: Int) async throws -> [Int64] {
        // The collections as the generated column `collection_key` spells them.
        let scope = collectionIDs.map { "collection_key : \"\(Self.compactID($0))0\"" }.joined(separator: " OR ")
        let text = words.map { "\"\($0)\"" }.joined(separator: " OR ")
        return try await sql.raw(
            """
            SELECT rowid AS seq FROM knowledge_chunks_fts
            WHERE knowledge_chunks_fts MATCH \(bind: "(\(scope)) AND {heading text} : (\(text))")
            ORDER BY bm25(knowledge_chunks_fts, 2.0, 1.0, 0.0) LIMIT \(bind: limit)
            """
        ).all().map { try $0.int64("seq") }
    }

    /// A collection id (a UUID) as its search key spells it, without its dashes. Anything else that is not a
    /// letter or a digit is left out too, which keeps the key safe inside a quoted full-text term.
    static func compactID(_ id: String) -> String {
        String(id.filter { $0.isLetter || $0.isNumber })
    }

    /// The chunks with these ids, with their documents' titles and URLs, in no particular order.
    public func chunks(ids: [Int64]) async throws -> [ChunkHit] {
        guard !ids.isEmpty else { return [] }
        return try await sql.raw(
            """
            SELECT c.seq, c.document_id, c.collection_id, c.text, c.heading, c.page, c.row_index, d.title,
                COALESCE(d.url, CASE WHEN d.source_kind = 'url' THEN d.source END) AS url
            FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
            WHERE c.seq IN (\(binds: ids)) AND d.deleted_ms IS NULL
            """
        ).all().map { row in
            ChunkHit(
                chunkID: try row.int64("seq"), documentID: try row.string("document_id"),
                collectionID: try row.string("collection_id"), title: try row.string("title"),
                url: try row.optionalString("url"), heading: try row.optionalString("heading"),
                page: try row.optionalInt64("page").map(Int.init),
                row: try row.optionalInt64("row_index").map(Int.init),
                text: try row.string("text"))
        }
    }

    /// Every vector of a collection, in chunk order, with the collection's version read before them (a
    /// change made meanwhile moves the version on, so the reader reads again next time).
    public func collectionVectors(collectionID: String) async throws
        -> (version: Int64, rows: [(chunkID: Int64, documentID: String, vector: [Float])])
    {
        let version = try await collectionVersions(ids: [collectionID])[collectionID] ?? 0
        let rows = try await sql.raw(
            """
            SELECT seq, document_id, embedding FROM knowledge_chunks
            WHERE collection_id = \(bind: collectionID) AND embedding IS NOT NULL ORDER BY seq
            """
        ).all()
        return (
            version,
            try rows.map { row in
                (
                    try row.int64("seq"), try row.string("document_id"),
                    VectorBytes.decode(try row.decode(column: "embedding", as: Data.self))
                )
            }
        )
    }

    /// The live collections whose vectors were made with `embeddingModel`.
    public func collectionIDs(embeddingModel: String) async throws -> [String] {
        try await sql.raw(
            """
            SELECT id FROM knowledge_collections
            WHERE embedding_model = \(bind: embeddingModel) AND deleted_ms IS NULL ORDER BY id
            """
        ).all().map { try $0.string("id") }
    }
}
