extension SchemaMigrations {
    /// What a document keeps of a refresh that failed, and the hash of content waiting to be ingested.
    ///
    /// A document that was ready and whose new content (a re-upload, a refetched URL) cannot be ingested
    /// keeps its chunks and its status, with the reason and the time of the failure beside them.
    /// `pending_hash` lets the same upload sent again before its ingestion find the document it made.
    static let knowledgeRefresh = SchemaMigration(name: "2026-11-22-knowledge-refresh") { _ in
        [
            "ALTER TABLE knowledge_documents ADD COLUMN refresh_error TEXT",
            "ALTER TABLE knowledge_documents ADD COLUMN refresh_failed_ms BIGINT",
            "ALTER TABLE knowledge_documents ADD COLUMN pending_hash TEXT",
        ]
    }
}
