import FluentPostgresDriver
import Foundation
import Logging
import ParleyStorage

/// The databases the storage, knowledge and other store-backed tests run on (a test's argument shows as
/// the case name).
public enum TestBackend: String, CaseIterable, Sendable {
    case sqlite
    case postgres
}

/// Why a test could not get a database.
public struct TestDatabaseError: Error, CustomStringConvertible {
    public var description: String
}

/// A fresh, empty database: a SQLite file in a new temporary directory, or a new PostgreSQL database
/// on the server named by `PARLEY_TEST_DATABASE_URL`.
public struct TestDatabase: Sendable {
    public let backend: TestBackend
    /// The PostgreSQL URL of this database; nil for SQLite.
    public let url: String?
    /// The SQLite data directory (also made for PostgreSQL, unused there).
    public let directory: String

    public static let logger: Logger = {
        var logger = Logger(label: "parley.tests")
        logger.logLevel = .warning
        return logger
    }()

    public static func make(_ backend: TestBackend) async throws -> TestDatabase {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-test-db-\(UUID().uuidString)").path
        switch backend {
        case .sqlite:
            return TestDatabase(backend: backend, url: nil, directory: directory)
        case .postgres:
            let serverURL = try serverURL()
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await execute("CREATE DATABASE \(name)", on: serverURL)
            guard var components = URLComponents(string: serverURL) else {
                throw TestDatabaseError(description: "PARLEY_TEST_DATABASE_URL is not a URL")
            }
            components.path = "/" + name
            return TestDatabase(backend: backend, url: components.string, directory: directory)
        }
    }

    /// Opens a `Store` on this database (running the migrations, as the server does).
    public func open() async throws -> Store {
        try await Store.open(url: url, dataDirectory: directory, logger: Self.logger)
    }

    /// Removes the database.
    public func drop() async {
        try? FileManager.default.removeItem(atPath: directory)
        guard let url, let name = URLComponents(string: url)?.path.dropFirst(), let serverURL = try? Self.serverURL()
        else { return }
        try? await Self.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: serverURL)
    }

    private static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["PARLEY_TEST_DATABASE_URL"], !url.isEmpty else {
            throw TestDatabaseError(
                description: """
                    PARLEY_TEST_DATABASE_URL is not set, so the PostgreSQL cases cannot run. Start a server with \
                    `scripts/postgres-test-server.sh start DIR` and export the URL it prints \
                    (scripts/test.sh does both).
                    """)
        }
        return url
    }

    /// Runs one statement on the test server's own database (`CREATE DATABASE` cannot run in a transaction,
    /// so this is a plain connection rather than a Store).
    private static func execute(_ statement: String, on url: String) async throws {
        let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// Runs `body` with a fresh database of `backend`, then removes it.
public func withDatabase(_ backend: TestBackend, _ body: (TestDatabase) async throws -> Void) async throws {
    let database = try await TestDatabase.make(backend)
    do {
        try await body(database)
    } catch {
        await database.drop()
        throw error
    }
    await database.drop()
}

/// Runs `body` with a Store on a fresh database of `backend`, then closes and removes it.
public func withStore(_ backend: TestBackend, _ body: (Store) async throws -> Void) async throws {
    try await withDatabase(backend) { database in
        let store = try await database.open()
        do {
            try await body(store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}
