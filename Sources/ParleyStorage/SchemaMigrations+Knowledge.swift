extension SchemaMigrations {
    /// Knowledge collections: documents, their chunks with vectors (float32 blobs) and full-text indexes,
    /// ingestion jobs that replicas claim with a lease, collections attached to chats and messages, and
    /// the citations of a reply.
    static let knowledge = SchemaMigration(name: "2026-11-22-knowledge") { backend in
        let bool = backend == .sqlite ? "INTEGER" : "BOOLEAN"
        let serial = backend == .sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY"
        let blob = backend == .sqlite ? "BLOB" : "BYTEA"
        let real = backend == .sqlite ? "REAL" : "DOUBLE PRECISION"
        var statements = [
            """
            CREATE TABLE knowledge_collections (
                id TEXT PRIMARY KEY,
                owner_id TEXT NOT NULL REFERENCES users (id),
                name TEXT NOT NULL,
                name_key TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                shared \(bool) NOT NULL,
                embedding_model TEXT,
                version BIGINT NOT NULL DEFAULT 0,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL,
                deleted_ms BIGINT
            )
            """,
            """
            CREATE UNIQUE INDEX knowledge_collections_name ON knowledge_collections (owner_id, name_key)
            WHERE deleted_ms IS NULL
            """,
            """
            CREATE TABLE knowledge_documents (
                seq \(serial),
                id TEXT NOT NULL UNIQUE,
                collection_id TEXT NOT NULL REFERENCES knowledge_collections (id),
                source_kind TEXT NOT NULL,
                source TEXT NOT NULL,
                url TEXT,
                title TEXT NOT NULL,
                content_type TEXT,
                kind TEXT,
                content_hash TEXT,
                size_bytes BIGINT,
                status TEXT NOT NULL,
                error TEXT,
                progress \(real) NOT NULL DEFAULT 0,
                chunk_count INTEGER NOT NULL DEFAULT 0,
                page_count INTEGER,
                row_count INTEGER,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL,
                deleted_ms BIGINT
            )
            """,
            "CREATE INDEX knowledge_documents_collection ON knowledge_documents (collection_id, seq)",
            // The bytes of an upload, for the worker (on any replica) to read.
            """
            CREATE TABLE knowledge_uploads (
                document_id TEXT PRIMARY KEY,
                content \(blob) NOT NULL
            )
            """,
            """
            CREATE TABLE knowledge_chunks (
                seq \(serial),
                document_id TEXT NOT NULL,
                collection_id TEXT NOT NULL,
                ordinal INTEGER NOT NULL,
                text TEXT NOT NULL,
                heading TEXT,
                page INTEGER,
                row_index INTEGER,
                tokens INTEGER NOT NULL,
                embedding \(blob)
            )
            """,
            "CREATE INDEX knowledge_chunks_document ON knowledge_chunks (document_id)",
            "CREATE INDEX knowledge_chunks_collection ON knowledge_chunks (collection_id, seq)",
            """
            CREATE TABLE knowledge_jobs (
                id TEXT PRIMARY KEY,
                document_id TEXT NOT NULL,
                status TEXT NOT NULL,
                worker TEXT,
                lease_until_ms BIGINT,
                attempts INTEGER NOT NULL DEFAULT 0,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL
            )
            """,
            "CREATE INDEX knowledge_jobs_pending ON knowledge_jobs (status, created_ms)",
            // message_id '' attaches a collection to every turn of the chat.
            """
            CREATE TABLE knowledge_attachments (
                chat_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                collection_id TEXT NOT NULL,
                created_ms BIGINT NOT NULL,
                PRIMARY KEY (chat_id, message_id, collection_id)
            )
            """,
            "ALTER TABLE messages ADD COLUMN citations TEXT",
        ]
        switch backend {
        case .sqlite:
            // Porter stemming: questions say "prices" where documents say "price".
            statements += [
                """
                CREATE VIRTUAL TABLE knowledge_chunks_fts USING fts5(
                    heading, text, content='knowledge_chunks', content_rowid='seq', tokenize='porter unicode61')
                """,
                """
                CREATE TRIGGER knowledge_chunks_fts_insert AFTER INSERT ON knowledge_chunks BEGIN
                    INSERT INTO knowledge_chunks_fts (rowid, heading, text) VALUES (new.seq, new.heading, new.text);
                END
                """,
                """
                CREATE TRIGGER knowledge_chunks_fts_delete AFTER DELETE ON knowledge_chunks BEGIN
                    INSERT INTO knowledge_chunks_fts (knowledge_chunks_fts, rowid, heading, text)
                    VALUES ('delete', old.seq, old.heading, old.text);
                END
                """,
            ]
        case .postgres:
            statements += [
                """
                ALTER TABLE knowledge_chunks ADD COLUMN search tsvector GENERATED ALWAYS AS (
                    to_tsvector('english', coalesce(heading, '') || ' ' || text)) STORED
                """,
                "CREATE INDEX knowledge_chunks_search ON knowledge_chunks USING GIN (search)",
            ]
        }
        return statements
    }
}
