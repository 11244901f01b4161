extension SchemaMigrations {
    /// Sign-in and accounting: API keys and cookie sessions (both stored as SHA-256 hashes of their
    /// secrets, so a copy of the database signs nobody in), per-user limits, and daily usage counters
    /// that every replica adds to.
    static let authentication = SchemaMigration(name: "2026-11-22-authentication") { _ in
        [
            """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users (id),
                name TEXT NOT NULL,
                prefix TEXT NOT NULL,
                secret_hash TEXT NOT NULL UNIQUE,
                scopes TEXT NOT NULL DEFAULT '[]',
                models TEXT NOT NULL DEFAULT '[]',
                requests_per_minute INTEGER,
                daily_tokens BIGINT,
                expires_ms BIGINT,
                created_ms BIGINT NOT NULL,
                last_used_ms BIGINT,
                revoked_ms BIGINT
            )
            """,
            "CREATE INDEX api_keys_user ON api_keys (user_id, created_ms)",
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                user_id TEXT NOT NULL REFERENCES users (id),
                csrf_token TEXT NOT NULL,
                created_ms BIGINT NOT NULL,
                expires_ms BIGINT NOT NULL
            )
            """,
            "CREATE INDEX sessions_user ON sessions (user_id)",
            """
            CREATE TABLE usage_daily (
                subject TEXT NOT NULL,
                day TEXT NOT NULL,
                requests BIGINT NOT NULL DEFAULT 0,
                prompt_tokens BIGINT NOT NULL DEFAULT 0,
                completion_tokens BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (subject, day)
            )
            """,
            "ALTER TABLE users ADD COLUMN requests_per_minute INTEGER",
            "ALTER TABLE users ADD COLUMN daily_tokens BIGINT",
        ]
    }
}
