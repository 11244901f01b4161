extension SchemaMigrations {
    /// The collection of a chunk goes into its full-text index, so that a search for words in some
    /// collections is one look-up in the index rather than every match across all collections checked
    /// against the chunks table (which was most of the time of a search over 100,000 chunks).
    ///
    /// It rebuilds derived data only: SQLite's FTS5 table is made again with a third column, the
    /// collection as one token (a generated column of the chunks, so that FTS5 can read it back as
    /// external content); PostgreSQL's generated `tsvector` gains one lexeme for the collection, which no
    /// text can produce (text lexemes are lower case), and its GIN index is made again.
    static let knowledgeSearchScope = SchemaMigration(name: "2026-11-22-knowledge-search-scope") { backend in
        switch backend {
        case .sqlite:
            return [
                "DROP TRIGGER knowledge_chunks_fts_insert",
                "DROP TRIGGER knowledge_chunks_fts_delete",
                "DROP TABLE knowledge_chunks_fts",
                // The id without its dashes (one token, not five) and with a digit at the end, which the
                // Porter stemmer leaves alone: two collections never share a token.
                """
                ALTER TABLE knowledge_chunks ADD COLUMN collection_key TEXT
                    GENERATED ALWAYS AS (replace(collection_id, '-', '') || '0') VIRTUAL
                """,
                """
                CREATE VIRTUAL TABLE knowledge_chunks_fts USING fts5(
                    heading, text, collection_key, content='knowledge_chunks', content_rowid='seq',
                    tokenize='porter unicode61')
                """,
                """
                CREATE TRIGGER knowledge_chunks_fts_insert AFTER INSERT ON knowledge_chunks BEGIN
                    INSERT INTO knowledge_chunks_fts (rowid, heading, text, collection_key)
                    VALUES (new.seq, new.heading, new.text, new.collection_key);
                END
                """,
                """
                CREATE TRIGGER knowledge_chunks_fts_delete AFTER DELETE ON knowledge_chunks BEGIN
                    INSERT INTO knowledge_chunks_fts (knowledge_chunks_fts, rowid, heading, text, collection_key)
                    VALUES ('delete', old.seq, old.heading, old.text, old.collection_key);
                END
                """,
                "INSERT INTO knowledge_chunks_fts (knowledge_chunks_fts) VALUES ('rebuild')",
            ]
        case .postgres:
            return [
                "DROP INDEX knowledge_chunks_search",
                "ALTER TABLE knowledge_chunks DROP COLUMN search",
                """
                ALTER TABLE knowledge_chunks ADD COLUMN search tsvector GENERATED ALWAYS AS (
                    to_tsvector('english', coalesce(heading, '') || ' ' || text)
                    || array_to_tsvector(ARRAY[\(collectionLexeme("collection_id"))])) STORED
                """,
                "CREATE INDEX knowledge_chunks_search ON knowledge_chunks USING GIN (search)",
                // The table was rewritten: fresh statistics for the planner.
                "ANALYZE knowledge_chunks",
            ]
        }
    }

    /// SQL for the lexeme that stands for a collection in PostgreSQL's `search` column.
    static func collectionLexeme(_ column: String) -> String {
        "'K' || replace(\(column), '-', '')"
    }
}
