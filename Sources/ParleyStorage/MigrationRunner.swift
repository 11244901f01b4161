import FluentKit
import Foundation
import SQLKit

/// Applies the schema migrations that a database has not seen yet, in order, each in its own
/// transaction, under a lock that several replicas starting at once all take in turn (PostgreSQL: an
/// advisory lock; SQLite: the database's write lock). Migrations only add: they never drop or rewrite
/// user data.
struct MigrationRunner {
    let store: Store

    /// The advisory lock key Parley's migrations share on PostgreSQL ("parley" in ASCII).
    private static let lockKey: Int64 = 0x7061_726C_6579

    func run(_ migrations: [SchemaMigration] = SchemaMigrations.all) async throws {
        try await store.database.withConnection { connection in
            let sql = connection as! any SQLDatabase
            switch store.backend {
            case .sqlite: try await sql.raw("BEGIN IMMEDIATE").run()
            case .postgres:
                try await sql.raw("BEGIN").run()
                try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.lockKey))").run()
            }
            do {
                try await sql.raw(
                    """
                    CREATE TABLE IF NOT EXISTS parley_migrations (
                        name TEXT PRIMARY KEY,
                        applied_ms BIGINT NOT NULL
                    )
                    """
                ).run()
                let applied = Set(
                    try await sql.raw("SELECT name FROM parley_migrations").all().map {
                        try $0.decode(column: "name", as: String.self)
                    })
                for migration in migrations where !applied.contains(migration.name) {
                    for statement in migration.statements(store.backend) {
                        try await sql.raw(SQLQueryString(statement)).run()
                    }
                    try await sql.raw(
                        """
                        INSERT INTO parley_migrations (name, applied_ms)
                        VALUES (\(bind: migration.name), \(bind: Clock.nowMilliseconds()))
                        """
                    ).run()
                    store.logger.info("applied migration", metadata: ["parley.migration": "\(migration.name)"])
                }
                try await sql.raw("COMMIT").run()
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}

/// One forward-only schema step: its statements for each backend.
struct SchemaMigration: Sendable {
    let name: String
    let statements: @Sendable (Store.Backend) -> [String]
}

enum Clock {
    static func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
