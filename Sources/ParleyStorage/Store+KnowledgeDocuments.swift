import Foundation
import ParleyCore
import SQLKit

extension Store {
    static let documentColumns = """
        id, collection_id, source_kind, source, url, title, content_type, kind, content_hash, size_bytes, status,
        error, progress, chunk_count, page_count, row_count, created_ms, updated_ms
        """

    /// Adds a document to a collection the user owns and queues its ingestion.
    ///
    /// The same content again (same hash in the collection) changes nothing and returns the document that
    /// has it. A source already in the collection (the same URL or file name) is ingested again: when its
    /// content changed, its chunks are replaced once the new ones are ready.
    ///
    /// - Returns: the document, and whether a job was queued.
    public func addDocument(collectionID: String, userID: String, _ document: NewDocument) async throws
        -> (document: KnowledgeDocumentRecord, queued: Bool)
    {
        _ = try await ownedCollection(id: collectionID, userID: userID)
        if let hash = document.contentHash,
            let same = try await sql.raw(
                """
                SELECT id FROM knowledge_documents WHERE collection_id = \(bind: collectionID)
                AND content_hash = \(bind: hash) AND deleted_ms IS NULL AND status <> 'failed'
                """
            ).first()
        {
            return (
                try await self.document(id: try same.string("id"), collectionID: collectionID, userID: userID), false
            )
        }
        let now = Clock.nowMilliseconds()
        let existing = try await sql.raw(
            """
            SELECT id FROM knowledge_documents WHERE collection_id = \(bind: collectionID)
            AND source = \(bind: document.source) AND deleted_ms IS NULL
            """
        ).first().map { try $0.string("id") }
        let id = existing ?? Identifier.make(at: now)
        try await database.transaction { database in
            let sql = database as! any SQLDatabase
            if existing != nil {
                // The old chunks stay searchable until the new ones replace them.
                try await sql.raw(
                    """
                    UPDATE knowledge_documents SET status = 'queued', error = NULL, progress = 0,
                        content_type = \(bind: document.contentType), updated_ms = \(bind: now)
                    WHERE id = \(bind: id)
                    """
                ).run()
                try await sql.raw(
                    "UPDATE knowledge_jobs SET status = 'done', updated_ms = \(bind: now) WHERE document_id = \(bind: id) AND status = 'queued'"
                ).run()
            } else {
                try await sql.raw(
                    """
                    INSERT INTO knowledge_documents (id, collection_id, source_kind, source, title, content_type, status,
                        created_ms, updated_ms)
                    VALUES (\(bind: id), \(bind: collectionID), \(bind: document.sourceKind), \(bind: document.source),
                        \(bind: document.title), \(bind: document.contentType), 'queued', \(bind: now), \(bind: now))
                    """
                ).run()
            }
            try await sql.raw("DELETE FROM knowledge_uploads WHERE document_id = \(bind: id)").run()
            if let content = document.content {
                try await sql.raw(
                    "INSERT INTO knowledge_uploads (document_id, content) VALUES (\(bind: id), \(bind: Data(content)))"
                ).run()
            }
            try await sql.raw(
                """
                INSERT INTO knowledge_jobs (id, document_id, status, attempts, created_ms, updated_ms)
                VALUES (\(bind: Identifier.make(at: now)), \(bind: id), 'queued', 0, \(bind: now), \(bind: now))
                """
            ).run()
        }
        return (try await self.document(id: id, collectionID: collectionID, userID: userID), true)
    }

    /// The documents of a collection the user may read, oldest first.
    public func documents(collectionID: String, userID: String) async throws -> [KnowledgeDocumentRecord] {
        _ = try await collection(id: collectionID, userID: userID)
        return try await sql.raw(
            """
            SELECT \(unsafeRaw: Self.documentColumns) FROM knowledge_documents
            WHERE collection_id = \(bind: collectionID) AND deleted_ms IS NULL ORDER BY seq
            """
        ).all().map(KnowledgeDocumentRecord.init(row:))
    }

    public func document(id: String, collectionID: String, userID: String) async throws -> KnowledgeDocumentRecord {
        _ = try await collection(id: collectionID, userID: userID)
        let row = try await sql.raw(
            """
            SELECT \(unsafeRaw: Self.documentColumns) FROM knowledge_documents
            WHERE id = \(bind: id) AND collection_id = \(bind: collectionID) AND deleted_ms IS NULL
            """
        ).first()
        guard let row else { throw ParleyError.notFound("no document with id '\(id)' in this collection") }
        return try KnowledgeDocumentRecord(row: row)
    }

    /// A document by id alone, for the ingestion worker.
    public func document(id: String) async throws -> KnowledgeDocumentRecord? {
        try await sql.raw(
            "SELECT \(unsafeRaw: Self.documentColumns) FROM knowledge_documents WHERE id = \(bind: id) AND deleted_ms IS NULL"
        ).first().map(KnowledgeDocumentRecord.init(row:))
    }

    /// The uploaded bytes of a document, if it was uploaded.
    public func upload(documentID: String) async throws -> Data? {
        try await sql.raw("SELECT content FROM knowledge_uploads WHERE document_id = \(bind: documentID)").first()
            .map { try $0.decode(column: "content", as: Data.self) }
    }

    /// Removes a document and its chunks from a collection the user owns.
    ///
    /// - Returns: the collection's new version.
    @discardableResult
    public func deleteDocument(id: String, collectionID: String, userID: String) async throws -> Int64 {
        _ = try await ownedCollection(id: collectionID, userID: userID)
        _ = try await document(id: id, collectionID: collectionID, userID: userID)
        let now = Clock.nowMilliseconds()
        return try await database.transaction { database in
            let sql = database as! any SQLDatabase
            try await sql.raw("DELETE FROM knowledge_chunks WHERE document_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM knowledge_uploads WHERE document_id = \(bind: id)").run()
            try await sql.raw(
                "UPDATE knowledge_jobs SET status = 'done', updated_ms = \(bind: now) WHERE document_id = \(bind: id) AND status IN ('queued', 'running')"
            ).run()
            try await sql.raw("UPDATE knowledge_documents SET deleted_ms = \(bind: now) WHERE id = \(bind: id)").run()
            return try await Self.bumpVersion(sql, collectionID: collectionID, now: now)
        }
    }

    static func bumpVersion(_ sql: any SQLDatabase, collectionID: String, now: Int64) async throws -> Int64 {
        try await sql.raw(
            "UPDATE knowledge_collections SET version = version + 1, updated_ms = \(bind: now) WHERE id = \(bind: collectionID)"
        ).run()
        guard
            let row = try await sql.raw("SELECT version FROM knowledge_collections WHERE id = \(bind: collectionID)")
                .first()
        else { throw ParleyError.notFound("no collection with id '\(collectionID)'") }
        return try row.int64("version")
    }
}

extension KnowledgeDocumentRecord {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.string("id"), collectionID: try row.string("collection_id"),
            sourceKind: try row.string("source_kind"), source: try row.string("source"),
            url: try row.optionalString("url"),
            title: try row.string("title"), contentType: try row.optionalString("content_type"),
            kind: try row.optionalString("kind"), contentHash: try row.optionalString("content_hash"),
            sizeBytes: try row.optionalInt64("size_bytes"),
            status: DocumentStatus(rawValue: try row.string("status")) ?? .failed,
            error: try row.optionalString("error"),
            progress: try row.decode(column: "progress", as: Double.self),
            chunkCount: Int(try row.int64("chunk_count")),
            pageCount: try row.optionalInt64("page_count").map(Int.init),
            rowCount: try row.optionalInt64("row_count").map(Int.init),
            createdAt: try row.timestamp("created_ms"), updatedAt: try row.timestamp("updated_ms"))
    }
}
