import Foundation
import ParleyCore
import SQLKit

extension Store {
    static let documentColumns = """
        id, collection_id, source_kind, source, url, title, content_type, kind, content_hash, size_bytes, status,
        error, progress, chunk_count, page_count, row_count, created_ms, updated_ms, refresh_error, refresh_failed_ms
        """

    /// Adds a document to a collection the user owns and queues its ingestion.
    ///
    /// The same content again (same hash in the collection, ingested or waiting to be) changes nothing and
    /// returns the document that has it. A source already in the collection (the same URL or file name) is
    /// ingested again: when its content changed, its chunks are replaced once the new ones are ready.
    /// Additions to one collection take turns, so two uploads of one file at the same moment make one
    /// document.
    ///
    /// - Returns: the document, and whether a job was queued.
    public func addDocument(collectionID: String, userID: String, _ document: NewDocument) async throws
        -> (document: KnowledgeDocumentRecord, queued: Bool)
    {
        _ = try await ownedCollection(id: collectionID, userID: userID)
        let now = Clock.nowMilliseconds()
        let (id, queued) = try await database.transaction { database -> (String, Bool) in
            let sql = database as! any SQLDatabase
            try await self.lockForAdding(sql, collectionID: collectionID)
            if let hash = document.contentHash,
                let same = try await sql.raw(
                    """
                    SELECT id FROM knowledge_documents
                    WHERE collection_id = \(bind: collectionID) AND deleted_ms IS NULL
                    AND ((content_hash = \(bind: hash) AND status <> 'failed') OR pending_hash = \(bind: hash))
                    ORDER BY seq LIMIT 1
                    """
                ).first()
            {
                return (try same.string("id"), false)
            }
            let existing = try await Self.documentID(sql, source: document.source, collectionID: collectionID)
            let id = existing ?? Identifier.make(at: now)
            if existing != nil {
                // The old chunks stay searchable until the new ones replace them.
                try await sql.raw(
                    """
                    UPDATE knowledge_documents SET status = 'queued', error = NULL, progress = 0,
                        content_type = \(bind: document.contentType), pending_hash = \(bind: document.contentHash),
                        updated_ms = \(bind: now)
                    WHERE id = \(bind: id)
                    """
                ).run()
                try await Self.endQueuedJobs(sql, documentID: id, now: now)
            } else {
                try await sql.raw(
                    """
                    INSERT INTO knowledge_documents (id, collection_id, source_kind, source, title, content_type,
                        status, pending_hash, created_ms, updated_ms)
                    VALUES (\(bind: id), \(bind: collectionID), \(bind: document.sourceKind), \(bind: document.source),
                        \(bind: document.title), \(bind: document.contentType), 'queued', \(bind: document.contentHash),
                        \(bind: now), \(bind: now))
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
            return (id, true)
        }
        return (try await self.document(id: id, collectionID: collectionID, userID: userID), queued)
    }

    /// Records content refused before ingestion (an upload over the size limit) as ingestion that failed
    /// with `reason`: a new source becomes a failed document; a source already in the collection keeps
    /// its chunks and, when it has some, stays ready with `reason` as its refresh error.
    ///
    /// - Returns: the document, and whether it is new.
    public func addRefusedDocument(
        collectionID: String, userID: String, _ document: NewDocument, sizeBytes: Int64?, reason: String
    ) async throws -> (document: KnowledgeDocumentRecord, created: Bool) {
        _ = try await ownedCollection(id: collectionID, userID: userID)
        let now = Clock.nowMilliseconds()
        let (id, created) = try await database.transaction { database -> (String, Bool) in
            let sql = database as! any SQLDatabase
            try await self.lockForAdding(sql, collectionID: collectionID)
            if let existing = try await Self.documentID(sql, source: document.source, collectionID: collectionID) {
                try await Self.endQueuedJobs(sql, documentID: existing, now: now)
                try await Self.recordFailure(sql, documentID: existing, reason: reason, now: now)
                return (existing, false)
            }
            let id = Identifier.make(at: now)
            try await sql.raw(
                """
                INSERT INTO knowledge_documents (id, collection_id, source_kind, source, title, content_type,
                    size_bytes, status, error, created_ms, updated_ms)
                VALUES (\(bind: id), \(bind: collectionID), \(bind: document.sourceKind), \(bind: document.source),
                    \(bind: document.title), \(bind: document.contentType), \(bind: sizeBytes), 'failed',
                    \(bind: Self.storedReason(reason)), \(bind: now), \(bind: now))
                """
            ).run()
            return (id, true)
        }
        return (try await self.document(id: id, collectionID: collectionID, userID: userID), created)
    }

    /// Makes additions to one collection take turns until the transaction ends: on PostgreSQL an advisory
    /// lock that nothing else takes (a row lock on the collection could deadlock with a job finishing,
    /// which locks its document and then the collection); on SQLite the database's write lock, taken
    /// before the reads rather than after them.
    private func lockForAdding(_ sql: any SQLDatabase, collectionID: String) async throws {
        switch backend {
        case .postgres:
            try await sql.raw(
                "SELECT pg_advisory_xact_lock(\(bind: Self.addLockClass), hashtext(\(bind: collectionID)))"
            ).run()
        case .sqlite:
            try await sql.raw(
                "UPDATE knowledge_collections SET version = version WHERE id = \(bind: collectionID)"
            ).run()
        }
    }

    /// The first key of the advisory locks of ``lockForAdding(_:collectionID:)`` ("know" in ASCII).
    static let addLockClass: Int32 = 0x6B6E_6F77

    /// The live document of a collection with this source (URL or file name).
    static func documentID(_ sql: any SQLDatabase, source: String, collectionID: String) async throws -> String? {
        try await sql.raw(
            """
            SELECT id FROM knowledge_documents WHERE collection_id = \(bind: collectionID)
            AND source = \(bind: source) AND deleted_ms IS NULL ORDER BY seq LIMIT 1
            """
        ).first().map { try $0.string("id") }
    }

    /// Ends a document's jobs that have not started: newer content replaces theirs.
    static func endQueuedJobs(_ sql: any SQLDatabase, documentID: String, now: Int64) async throws {
        try await sql.raw(
            """
            UPDATE knowledge_jobs SET status = 'done', updated_ms = \(bind: now)
            WHERE document_id = \(bind: documentID) AND status = 'queued'
            """
        ).run()
    }

    /// Stores why a document's newest content could not be ingested. A document with chunks from an
    /// earlier ingestion keeps them, still found and cited, and stays ready with the reason as its refresh
    /// error; one without fails with the reason.
    static func recordFailure(_ sql: any SQLDatabase, documentID: String, reason: String, now: Int64) async throws {
        let reason = storedReason(reason)
        try await sql.raw(
            """
            UPDATE knowledge_documents SET
                status = CASE WHEN chunk_count > 0 THEN 'ready' ELSE 'failed' END,
                error = CASE WHEN chunk_count > 0 THEN NULL ELSE \(bind: reason) END,
                refresh_error = CASE WHEN chunk_count > 0 THEN \(bind: reason) ELSE NULL END,
                refresh_failed_ms = CASE WHEN chunk_count > 0 THEN \(bind: now) ELSE NULL END,
                progress = CASE WHEN chunk_count > 0 THEN 1 ELSE progress END,
                content_hash = CASE WHEN chunk_count > 0 THEN content_hash ELSE NULL END,
                pending_hash = NULL, updated_ms = \(bind: now)
            WHERE id = \(bind: documentID)
            """
        ).run()
    }

    static func storedReason(_ reason: String) -> String { String(reason.prefix(1000)) }

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
            createdAt: try row.timestamp("created_ms"), updatedAt: try row.timestamp("updated_ms"),
            refreshError: try row.optionalString("refresh_error"),
            refreshFailedAt: try row.optionalInt64("refresh_failed_ms").map(Timestamp.init(milliseconds:)))
    }
}
