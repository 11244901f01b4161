import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import ParleyCore
import SQLKit
import ServiceLifecycle

/// Parley's database: users, chats and their message trees, the provider registry, prompts, presets and
/// instruction records. SQLite (`parley.db`, WAL) by default; PostgreSQL when given a `postgres://` URL.
///
/// Every query that reads or changes a user's data takes that user's id as a parameter.
public final class Store: Service, Sendable {
    public enum Backend: String, Sendable {
        case sqlite
        case postgres
    }

    public let backend: Backend
    /// Where the data is, for logs (the SQLite path, or the PostgreSQL host and database, never a password).
    public let location: String
    let databases: Databases
    let database: any Database
    /// SQLite's own thread for its blocking calls; nil for PostgreSQL.
    let threadPool: NIOThreadPool?
    let logger: Logger
    /// Encrypts the secrets kept in the database.
    let secrets: SecretBox

    var sql: any SQLDatabase { database as! any SQLDatabase }

    private init(
        backend: Backend, location: String, databases: Databases, database: any Database, threadPool: NIOThreadPool?,
        secrets: SecretBox, logger: Logger
    ) {
        self.backend = backend
        self.location = location
        self.databases = databases
        self.database = database
        self.threadPool = threadPool
        self.secrets = secrets
        self.logger = logger
    }

    /// Opens the database and brings its schema up to date.
    ///
    /// - Parameters:
    ///   - url: `postgres://user:password@host:port/database`, or nil for SQLite in `dataDirectory`.
    ///   - dataDirectory: where `parley.db` lives when `url` is nil, and `secret.key` unless `secretKey` is given.
    ///   - secretKey: the key that encrypts stored secrets (`PARLEY_SECRET_KEY`); see ``SecretBox``.
    public static func open(
        url: String?, dataDirectory: String, secretKey: String? = nil, logger: Logger
    ) async throws -> Store {
        try await open(
            url: url, dataDirectory: dataDirectory, secretKey: secretKey, logger: logger,
            migrations: SchemaMigrations.all)
    }

    /// Opens the database and applies `migrations` (tests make databases of earlier schemas with it).
    static func open(
        url: String?, dataDirectory: String, secretKey: String?, logger: Logger, migrations: [SchemaMigration]
    ) async throws -> Store {
        if let url, !url.isEmpty, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
            throw ParleyError.badRequest("database URL must start with postgres:// (got \(redactedURL(url)))")
        }
        let secrets = try SecretBox.resolve(secretKey: secretKey, dataDirectory: dataDirectory)
        let group = MultiThreadedEventLoopGroup.singleton
        // SQLite blocks a thread for each call, and waits on another process's (or Store's) write lock by
        // sleeping on it: a thread of its own keeps that from starving the shared pool, and the lock holder.
        let threadPool = url?.isEmpty ?? true ? NIOThreadPool(numberOfThreads: 1) : nil
        threadPool?.start()
        let databases = Databases(threadPool: threadPool ?? NIOThreadPool.singleton, on: group)
        // Connection pools must be shut down before they go away, also when opening fails half-way.
        do {
            let store: Store
            if let url, !url.isEmpty {
                let configuration = try SQLPostgresConfiguration(url: url)
                databases.use(
                    .postgres(
                        configuration: configuration, maxConnectionsPerEventLoop: 4,
                        connectionPoolTimeout: .seconds(30), encodingContext: .default, decodingContext: .default,
                        sqlLogLevel: .trace),
                    as: .psql)
                let database = databases.database(.psql, logger: logger, on: group.any())!
                store = Store(
                    backend: .postgres, location: redactedURL(url), databases: databases, database: database,
                    threadPool: nil, secrets: secrets, logger: logger)
            } else {
                try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
                let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent("parley.db").path
                databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1, sqlLogLevel: .trace), as: .sqlite)
                // One connection, on one event loop: SQLite has one writer anyway, and a single connection never
                // waits on its own locks.
                let database = databases.database(.sqlite, logger: logger, on: group.next())!
                store = Store(
                    backend: .sqlite, location: path, databases: databases, database: database, threadPool: threadPool,
                    secrets: secrets, logger: logger)
                // The busy timeout first: switching a new database to WAL takes a lock that another process
                // opening it at the same moment may hold.
                try await store.sql.raw("PRAGMA busy_timeout=30000").run()
                try await store.sql.raw("PRAGMA journal_mode=WAL").run()
                try await store.sql.raw("PRAGMA synchronous=NORMAL").run()
                try await store.sql.raw("PRAGMA foreign_keys=ON").run()
            }
            try await MigrationRunner(store: store).run(migrations)
            try await store.checkSecretKey()
            try await store.sealPlaintextSecrets()
            return store
        } catch {
            await databases.shutdownAsync()
            try? await threadPool?.shutdownGracefully()
            throw error
        }
    }

    /// Runs until graceful shutdown, then closes the database (after the HTTP server, which is shut
    /// down first, has finished writing).
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Closes the database's connections.
    public func close() async {
        await databases.shutdownAsync()
        try? await threadPool?.shutdownGracefully()
    }

    static func redactedURL(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "postgres://..." }
        if components.password != nil { components.password = "***" }
        return components.string ?? "postgres://..."
    }
}
