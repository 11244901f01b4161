/// Parley's schema, as forward-only migrations. Never edit a migration that has shipped: add one.
///
/// Conventions: ids are time-ordered text UUIDs; times are milliseconds since 1970 (`*_ms`); JSON
/// documents are text; soft-deleted rows keep their data with `deleted_ms` set, and unique names are
/// unique among live rows only, so deleting never blocks re-creating the same name.
enum SchemaMigrations {
    static let all: [SchemaMigration] = [
        initial, fullTextSearch, authentication, knowledge, knowledgeSearchScope, knowledgeRefresh,
    ]

    static let initial = SchemaMigration(name: "2026-11-22-initial") { backend in
        let bool = backend == .sqlite ? "INTEGER" : "BOOLEAN"
        let serial = backend == .sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY"
        return [
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                username TEXT NOT NULL,
                username_key TEXT NOT NULL,
                display_name TEXT NOT NULL,
                profile TEXT NOT NULL DEFAULT '{}',
                role TEXT NOT NULL,
                record_instructions \(bool) NOT NULL,
                password_hash TEXT,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL,
                deleted_ms BIGINT
            )
            """,
            "CREATE UNIQUE INDEX users_username ON users (username_key) WHERE deleted_ms IS NULL",
            """
            CREATE TABLE chats (
                seq \(serial),
                id TEXT NOT NULL UNIQUE,
                owner_id TEXT NOT NULL REFERENCES users (id),
                title TEXT NOT NULL,
                settings TEXT NOT NULL DEFAULT '{}',
                tags TEXT NOT NULL DEFAULT '[]',
                active_leaf_id TEXT,
                message_count INTEGER NOT NULL DEFAULT 0,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL,
                deleted_ms BIGINT
            )
            """,
            """
            CREATE TABLE chat_members (
                chat_id TEXT NOT NULL REFERENCES chats (id),
                user_id TEXT NOT NULL REFERENCES users (id),
                role TEXT NOT NULL,
                pinned \(bool) NOT NULL,
                archived \(bool) NOT NULL,
                updated_ms BIGINT NOT NULL,
                PRIMARY KEY (chat_id, user_id)
            )
            """,
            "CREATE INDEX chat_members_listing ON chat_members (user_id, archived, updated_ms, chat_id)",
            """
            CREATE TABLE messages (
                seq \(serial),
                id TEXT NOT NULL UNIQUE,
                chat_id TEXT NOT NULL REFERENCES chats (id),
                parent_id TEXT,
                author_id TEXT,
                role TEXT NOT NULL,
                content TEXT NOT NULL,
                parts TEXT,
                model TEXT,
                provider TEXT,
                parameters TEXT,
                prompt_tokens INTEGER,
                completion_tokens INTEGER,
                latency_ms BIGINT,
                status TEXT NOT NULL,
                error TEXT,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL
            )
            """,
            "CREATE INDEX messages_chat ON messages (chat_id, seq)",
            // Sibling lookups for a window of a branch, without reading the whole tree.
            "CREATE INDEX messages_parent ON messages (parent_id)",
            """
            CREATE TABLE providers (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                base_url TEXT,
                api_key TEXT,
                api_version TEXT,
                deployments TEXT NOT NULL DEFAULT '[]',
                options TEXT NOT NULL DEFAULT '{}',
                enabled \(bool) NOT NULL,
                source TEXT NOT NULL,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL,
                deleted_ms BIGINT
            )
            """,
            "CREATE UNIQUE INDEX providers_name ON providers (name) WHERE deleted_ms IS NULL",
            """
            CREATE TABLE models (
                id TEXT PRIMARY KEY,
                provider TEXT NOT NULL,
                name TEXT NOT NULL,
                display_name TEXT,
                enabled \(bool) NOT NULL,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX models_name ON models (provider, name)",
            """
            CREATE TABLE aliases (
                alias TEXT PRIMARY KEY,
                target TEXT NOT NULL,
                source TEXT NOT NULL,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_ms BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE prompts (
                id TEXT PRIMARY KEY,
                owner_id TEXT NOT NULL REFERENCES users (id),
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                shared \(bool) NOT NULL,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL,
                deleted_ms BIGINT
            )
            """,
            "CREATE INDEX prompts_owner ON prompts (owner_id, updated_ms)",
            """
            CREATE TABLE presets (
                id TEXT PRIMARY KEY,
                owner_id TEXT NOT NULL REFERENCES users (id),
                model TEXT NOT NULL,
                name TEXT NOT NULL,
                name_key TEXT NOT NULL,
                parameters TEXT NOT NULL,
                is_default \(bool) NOT NULL,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL,
                deleted_ms BIGINT
            )
            """,
            "CREATE UNIQUE INDEX presets_name ON presets (owner_id, model, name_key) WHERE deleted_ms IS NULL",
            """
            CREATE TABLE instruction_records (
                seq \(serial),
                id TEXT NOT NULL UNIQUE,
                user_id TEXT NOT NULL,
                action TEXT NOT NULL,
                chat_id TEXT,
                model TEXT,
                detail TEXT NOT NULL,
                outcome TEXT NOT NULL,
                created_ms BIGINT NOT NULL
            )
            """,
            "CREATE INDEX instruction_records_user ON instruction_records (user_id, seq)",
        ]
    }

    /// Full-text search over chat titles and message text: FTS5 tables kept in step by triggers on
    /// SQLite, generated `tsvector` columns with GIN indexes on PostgreSQL.
    static let fullTextSearch = SchemaMigration(name: "2026-11-22-full-text-search") { backend in
        switch backend {
        case .sqlite:
            // Prefix indexes of two and three characters: without them a search for "th" or "the" (the last
            // word is matched as a prefix) merges the lists of every word that begins so, which takes a quarter
            // of a second over a million messages; longer beginnings match few enough words.
            return [
                """
                CREATE VIRTUAL TABLE messages_fts USING fts5(
                    content, content='messages', content_rowid='seq', prefix='2 3')
                """,
                """
                CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.status <> 'streaming' BEGIN
                    INSERT INTO messages_fts (rowid, content) VALUES (new.seq, new.content);
                END
                """,
                // A reply is indexed once it stops streaming: re-indexing it at every write while it streams
                // would cost more than the write. A row is in the index exactly when its status is not
                // `streaming`, so what the triggers remove is what they added.
                """
                CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, status ON messages BEGIN
                    INSERT INTO messages_fts (messages_fts, rowid, content)
                        SELECT 'delete', old.seq, old.content WHERE old.status <> 'streaming';
                    INSERT INTO messages_fts (rowid, content)
                        SELECT new.seq, new.content WHERE new.status <> 'streaming';
                END
                """,
                """
                CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.status <> 'streaming' BEGIN
                    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
                END
                """,
                "CREATE VIRTUAL TABLE chats_fts USING fts5(title, content='chats', content_rowid='seq', prefix='2 3')",
                """
                CREATE TRIGGER chats_fts_insert AFTER INSERT ON chats BEGIN
                    INSERT INTO chats_fts (rowid, title) VALUES (new.seq, new.title);
                END
                """,
                """
                CREATE TRIGGER chats_fts_update AFTER UPDATE OF title ON chats BEGIN
                    INSERT INTO chats_fts (chats_fts, rowid, title) VALUES ('delete', old.seq, old.title);
                    INSERT INTO chats_fts (rowid, title) VALUES (new.seq, new.title);
                END
                """,
                """
                CREATE TRIGGER chats_fts_delete AFTER DELETE ON chats BEGIN
                    INSERT INTO chats_fts (chats_fts, rowid, title) VALUES ('delete', old.seq, old.title);
                END
                """,
            ]
        case .postgres:
            // PostgreSQL's parser keeps e-mail addresses, URLs, paths and numbers like 1.2.3 whole, so that
            // "example" would not find "bob@example.com". Punctuation becomes spaces first, which splits
            // words as SQLite's tokenizer and the search words do.
            return [
                // As on SQLite, a reply is indexed once it stops streaming; until then its row changes no indexed
                // column, so PostgreSQL can update it in place (a HOT update).
                """
                ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS (
                    CASE WHEN status = 'streaming' THEN NULL
                    ELSE to_tsvector('simple', \(withoutPunctuation("content"))) END) STORED
                """,
                "CREATE INDEX messages_search ON messages USING GIN (search)",
                """
                ALTER TABLE chats ADD COLUMN search tsvector
                    GENERATED ALWAYS AS (to_tsvector('simple', \(withoutPunctuation("title")))) STORED
                """,
                "CREATE INDEX chats_search ON chats USING GIN (search)",
            ]
        }
    }

    /// SQL for `column` with ASCII punctuation turned into spaces.
    private static func withoutPunctuation(_ column: String) -> String {
        let marks = ##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##
        let quoted = marks.replacingOccurrences(of: "'", with: "''")
        return "translate(\(column), '\(quoted)', '\(String(repeating: " ", count: marks.count))')"
    }
}
