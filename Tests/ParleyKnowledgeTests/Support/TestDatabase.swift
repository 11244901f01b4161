import FluentPostgresDriver
import Foundation
import Logging
import ParleyStorage
import Testing

/// The databases the knowledge store tests run on.
enum TestBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

struct TestDatabaseError: Error, CustomStringConvertible {
    var description: String
}

let testLogger: Logger = {
    var logger = Logger(label: "parley.knowledge-tests")
    logger.logLevel = .warning
    return logger
}()

/// Runs `body` with a Store on a fresh database (a SQLite file in a temporary directory, or a new database
/// on the PostgreSQL server of `PARLEY_TEST_DATABASE_URL`), then closes and removes it.
func withStore(_ backend: TestBackend, _ body: (Store) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "parley-knowledge-\(UUID().uuidString)"
    ).path
    var url: String?
    var serverURL: String?
    var name = ""
    if backend == .postgres {
        guard let server = ProcessInfo.processInfo.environment["PARLEY_TEST_DATABASE_URL"], !server.isEmpty else {
            throw TestDatabaseError(
                description:
                    "PARLEY_TEST_DATABASE_URL is not set (scripts/postgres-test-server.sh start DIR prints one)")
        }
        serverURL = server
        name = "k_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await execute("CREATE DATABASE \(name)", on: server)
        var components = URLComponents(string: server)!
        components.path = "/" + name
        url = components.string
    }
    let store = try await Store.open(url: url, dataDirectory: directory, logger: testLogger)
    func cleanUp() async {
        await store.close()
        try? FileManager.default.removeItem(atPath: directory)
        if let serverURL { try? await execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: serverURL) }
    }
    do {
        try await body(store)
    } catch {
        await cleanUp()
        throw error
    }
    await cleanUp()
}

private func execute(_ statement: String, on url: String) async throws {
    let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
    let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: testLogger)
    do {
        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: testLogger)
        try await connection.close()
    } catch {
        try? await connection.close()
        throw error
    }
}
