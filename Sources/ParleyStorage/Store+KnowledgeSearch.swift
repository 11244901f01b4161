import Foundation
import ParleyCore
import SQLKit

extension Store {
    /// Full-text search over the chunks of `collectionIDs`: chunks holding any of `words` (stemmed), best
    /// first by BM25 (SQLite) or cover density (PostgreSQL). The words are letters and digits only.
    public func searchChunks(collectionIDs: [String], words: [String], limit: Int) async throws -> [Int64] {
        let words = words.filter { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber } }
        guard !words.isEmpty, !collectionIDs.isEmpty else { return [] }
        let rows: [any SQLRow]
        switch backend {
        case .sqlite:
            let match = words.map { "\"\($0)\"" }.joined(separator: " OR ")
            rows = try await sql.raw(
                """
                SELECT f.rowid AS seq FROM knowledge_chunks_fts f JOIN knowledge_chunks c ON c.seq = f.rowid
                WHERE knowledge_chunks_fts MATCH \(bind: match) AND c.collection_id IN (\(binds: collectionIDs))
                ORDER BY bm25(knowledge_chunks_fts, 2.0, 1.0) LIMIT \(bind: limit)
                """
            ).all()
        case .postgres:
            let query = words.joined(separator: " | ")
            rows = try await sql.raw(
                """
                SELECT c.seq FROM knowledge_chunks c, to_tsquery('english', \(bind: query)) q
                WHERE c.collection_id IN (\(binds: collectionIDs)) AND c.search @@ q
                ORDER BY ts_rank(c.search, q) DESC, c.seq LIMIT \(bind: limit)
                """
            ).all()
        }
        return try rows.map { try $0.int64("seq") }
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
