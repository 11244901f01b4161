import Foundation
import Logging
import Testing

@testable import ParleyStorage

/// The databases the archive tests run against: a fresh SQLite file always, and PostgreSQL too when
/// `PARLEY_TEST_DATABASE_URL` is set. Each test gets its own user, so tests sharing one PostgreSQL
/// database never see each other's chats.
enum ArchiveTestDatabase: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static var available: [ArchiveTestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    private static var postgresURL: String? {
        ProcessInfo.processInfo.environment["PARLEY_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var testDescription: String { rawValue }

    /// Opens the store, creates a user, runs `body`, and closes the store (removing a SQLite directory).
    func withStore<T>(_ body: (Store, UserRecord) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-archive-\(UUID().uuidString)").path
        let store = try await Store.open(
            url: self == .postgres ? Self.postgresURL : nil, dataDirectory: directory,
            // Stores sharing one database must share its secret key, as replicas do.
            secretKey: "parley-tests-shared-database", logger: Logger(label: "parley.test.archive"))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let user = try await store.createUser(username: Self.uniqueName())
            let result = try await body(store, user)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    static func uniqueName() -> String { "u" + UUID().uuidString.prefix(12).lowercased() }
}
