import Foundation
import ParleyCore
import SQLKit

/// What ingestion found, to store with the document's chunks.
public struct IngestedContent: Sendable {
    public var title: String
    public var url: String?
    public var kind: String
    public var contentType: String?
    public var contentHash: String
    public var sizeBytes: Int64
    public var pageCount: Int?
    public var rowCount: Int?
    public var embeddingModel: String?

    public init(
        title: String, url: String?, kind: String, contentType: String?, contentHash: String, sizeBytes: Int64,
        pageCount: Int?, rowCount: Int?, embeddingModel: String?
    ) {
        self.title = title
        self.url = url
        self.kind = kind
        self.contentType = contentType
        self.contentHash = contentHash
        self.sizeBytes = sizeBytes
        self.pageCount = pageCount
        self.rowCount = rowCount
        self.embeddingModel = embeddingModel
    }
}

extension Store {
    /// Claims the oldest queued job, or one whose worker's lease ran out (a replica that stopped), for
    /// `worker` until `leaseMilliseconds` from now. One statement does it, so two replicas never get the
    /// same job: on PostgreSQL the row is locked with SKIP LOCKED, on SQLite the write lock is the database's.
    public func claimKnowledgeJob(worker: String, leaseMilliseconds: Int64 = 60_000) async throws -> KnowledgeJob? {
        let now = Clock.nowMilliseconds()
        let lock = backend == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        let row = try await sql.raw(
            """
            UPDATE knowledge_jobs SET status = 'running', worker = \(bind: worker),
                lease_until_ms = \(bind: now + leaseMilliseconds), attempts = attempts + 1, updated_ms = \(bind: now)
            WHERE id = (
                SELECT id FROM knowledge_jobs
                WHERE status = 'queued' OR (status = 'running' AND lease_until_ms < \(bind: now))
                ORDER BY created_ms, id LIMIT 1 \(unsafeRaw: lock))
            RETURNING id, document_id, attempts
            """
        ).first()
        guard let row else { return nil }
        let job = KnowledgeJob(
            id: try row.string("id"), documentID: try row.string("document_id"),
            attempts: Int(try row.int64("attempts")))
        try await sql.raw(
            """
            UPDATE knowledge_documents SET status = 'ingesting', progress = 0, error = NULL, updated_ms = \(bind: now)
            WHERE id = \(bind: job.documentID)
            """
        ).run()
        return job
    }

    /// Stores a job's progress on its document and extends the worker's lease.
    ///
    /// - Returns: false when the job is no longer this worker's (the lease ran out and another took it, or
    ///   the document was deleted): the worker stops.
    public func reportKnowledgeProgress(
        job: KnowledgeJob, worker: String, progress: Double, leaseMilliseconds: Int64 = 60_000
    ) async throws -> Bool {
        let now = Clock.nowMilliseconds()
        let rows = try await sql.raw(
            """
            UPDATE knowledge_jobs SET lease_until_ms = \(bind: now + leaseMilliseconds), updated_ms = \(bind: now)
            WHERE id = \(bind: job.id) AND worker = \(bind: worker) AND status = 'running'
            RETURNING id
            """
        ).all()
        guard !rows.isEmpty else { return false }
        try await sql.raw(
            """
            UPDATE knowledge_documents SET progress = \(bind: min(max(progress, 0), 1)), updated_ms = \(bind: now)
            WHERE id = \(bind: job.documentID)
            """
        ).run()
        return true
    }

    /// Replaces the document's chunks with `chunks` and marks it ready, all in one transaction: searches see
    /// the old chunks or the new ones, never a mix or half. Nothing is written when the job is no longer
    /// this worker's.
    ///
    /// - Returns: the new chunks' ids and the collection's new version; nil when the job was not this worker's.
    public func completeKnowledgeJob(
        job: KnowledgeJob, worker: String, content: IngestedContent, chunks: [NewChunk]
    ) async throws -> IndexedDocument? {
        guard let document = try await document(id: job.documentID) else { return nil }
        let now = Clock.nowMilliseconds()
        return try await database.transaction { database in
            let sql = database as! any SQLDatabase
            guard try await Self.endJob(sql, job, worker: worker, as: "done", now: now) else { return nil }
            try await sql.raw("DELETE FROM knowledge_chunks WHERE document_id = \(bind: job.documentID)").run()
            var ids: [Int64] = []
            ids.reserveCapacity(chunks.count)
            let batch = 200
            var start = 0
            while start < chunks.count {
                let slice = chunks[start..<min(start + batch, chunks.count)]
                let values = slice.enumerated().map { offset, chunk -> SQLQueryString in
                    let embedding = chunk.embedding.map { Data(VectorBytes.encode($0)) }
                    return """
                        (\(bind: job.documentID), \(bind: document.collectionID), \(bind: start + offset), \(bind: chunk.text),
                        \(bind: chunk.heading), \(bind: chunk.page), \(bind: chunk.row), \(bind: chunk.tokens), \(bind: embedding))
                        """
                }
                let rows = try await sql.raw(
                    """
                    INSERT INTO knowledge_chunks (document_id, collection_id, ordinal, text, heading, page, row_index,
                        tokens, embedding)
                    VALUES \(values.joined(separator: ", ")) RETURNING seq
                    """
                ).all()
                ids += try rows.map { try $0.int64("seq") }.sorted()
                start += slice.count
            }
            try await sql.raw(
                """
                UPDATE knowledge_documents SET status = 'ready', progress = 1, error = NULL, refresh_error = NULL,
                    refresh_failed_ms = NULL, pending_hash = NULLIF(pending_hash, \(bind: content.contentHash)),
                    title = \(bind: content.title),
                    url = \(bind: content.url), kind = \(bind: content.kind),
                    content_type = COALESCE(\(bind: content.contentType), content_type),
                    content_hash = \(bind: content.contentHash), size_bytes = \(bind: content.sizeBytes),
                    chunk_count = \(bind: chunks.count), page_count = \(bind: content.pageCount),
                    row_count = \(bind: content.rowCount), updated_ms = \(bind: now)
                WHERE id = \(bind: job.documentID)
                """
            ).run()
            if let model = content.embeddingModel {
                try await sql.raw(
                    """
                    UPDATE knowledge_collections SET embedding_model = \(bind: model)
                    WHERE id = \(bind: document.collectionID) AND embedding_model IS NULL
                    """
                ).run()
            }
            let version = try await Self.bumpVersion(sql, collectionID: document.collectionID, now: now)
            return IndexedDocument(chunkIDs: ids, collectionVersion: version)
        }
    }

    /// Ends a job whose content did not change: the document is ready again with the chunks it had.
    public func finishUnchangedKnowledgeJob(job: KnowledgeJob, worker: String) async throws {
        let now = Clock.nowMilliseconds()
        try await database.transaction { database in
            let sql = database as! any SQLDatabase
            guard try await Self.endJob(sql, job, worker: worker, as: "done", now: now) else { return }
            try await sql.raw(
                """
                UPDATE knowledge_documents SET status = 'ready', progress = 1, error = NULL, refresh_error = NULL,
                    refresh_failed_ms = NULL, pending_hash = NULLIF(pending_hash, content_hash),
                    updated_ms = \(bind: now)
                WHERE id = \(bind: job.documentID)
                """
            ).run()
        }
    }

    /// Stores why a job's ingestion failed. A document that was ready keeps its chunks and stays ready,
    /// with the reason and the time as its refresh error (see ``KnowledgeDocumentRecord/refreshError``):
    /// a failed refresh never loses good content. A document ingested for the first time fails, with no
    /// chunks.
    public func failKnowledgeJob(job: KnowledgeJob, worker: String, reason: String) async throws {
        let now = Clock.nowMilliseconds()
        try await database.transaction { database in
            let sql = database as! any SQLDatabase
            guard try await Self.endJob(sql, job, worker: worker, as: "failed", now: now) else { return }
            try await Self.recordFailure(sql, documentID: job.documentID, reason: reason, now: now)
        }
    }

    /// Marks a job `done` or `failed` if `worker` still holds it; false when its lease went to another.
    static func endJob(_ sql: any SQLDatabase, _ job: KnowledgeJob, worker: String, as status: String, now: Int64)
        async throws -> Bool
    {
        try await !sql.raw(
            """
            UPDATE knowledge_jobs SET status = \(bind: status), updated_ms = \(bind: now)
            WHERE id = \(bind: job.id) AND worker = \(bind: worker) AND status = 'running' RETURNING id
            """
        ).all().isEmpty
    }

    /// Ends a job whose document was deleted meanwhile.
    public func endKnowledgeJob(job: KnowledgeJob, worker: String) async throws {
        _ = try await Self.endJob(sql, job, worker: worker, as: "done", now: Clock.nowMilliseconds())
    }

    /// Whether any job waits (queued, or running on a lease that ran out).
    public func hasPendingKnowledgeJobs() async throws -> Bool {
        try await sql.raw(
            """
            SELECT id FROM knowledge_jobs
            WHERE status = 'queued' OR (status = 'running' AND lease_until_ms < \(bind: Clock.nowMilliseconds())) LIMIT 1
            """
        ).first() != nil
    }
}

extension Store {
    /// Puts a job this worker was running back in the queue (the server is stopping): another worker, or
    /// this one after a restart, takes it up from the start. The interrupted attempt does not count.
    public func releaseKnowledgeJob(job: KnowledgeJob, worker: String) async throws {
        let now = Clock.nowMilliseconds()
        try await sql.raw(
            """
            UPDATE knowledge_jobs SET status = 'queued', worker = NULL, lease_until_ms = NULL,
                attempts = attempts - 1, updated_ms = \(bind: now)
            WHERE id = \(bind: job.id) AND worker = \(bind: worker) AND status = 'running'
            """
        ).run()
        try await sql.raw(
            "UPDATE knowledge_documents SET status = 'queued', updated_ms = \(bind: now) WHERE id = \(bind: job.documentID) AND status = 'ingesting'"
        ).run()
    }

    /// At start-up on SQLite, where no other process can be running them, jobs left running by a server
    /// that stopped are queued again at once rather than after their lease.
    public func requeueInterruptedKnowledgeJobs() async throws {
        guard backend == .sqlite else { return }
        let now = Clock.nowMilliseconds()
        try await sql.raw(
            """
            UPDATE knowledge_jobs SET status = 'queued', worker = NULL, lease_until_ms = NULL, updated_ms = \(bind: now)
            WHERE status = 'running'
            """
        ).run()
    }
}
