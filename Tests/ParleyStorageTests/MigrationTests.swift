import Testing

@testable import ParleyStorage

@Suite("Migrations")
struct MigrationTests {
    @Test(arguments: TestBackend.allCases)
    func migrationsRunOnceAndReopeningChangesNothing(backend: TestBackend) async throws {
        try await withDatabase(backend) { database in
            let first = try await database.open()
            let applied = try await appliedMigrations(first)
            #expect(applied.keys.sorted() == SchemaMigrations.all.map(\.name).sorted())
            let alice = try await first.createUser(username: "alice")
            await first.close()

            let second = try await database.open()
            #expect(try await appliedMigrations(second) == applied)
            #expect(try await second.user(id: alice.id).username == "alice")
            await second.close()
        }
    }

    @Test(arguments: TestBackend.allCases)
    func severalReplicasOpeningAFreshDatabaseAtOnceAllSucceed(backend: TestBackend) async throws {
        try await withDatabase(backend) { database in
            let opened = await withTaskGroup(of: Result<Store, any Error>.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        do { return .success(try await database.open()) } catch { return .failure(error) }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let stores = opened.compactMap { try? $0.get() }
            do {
                for result in opened { _ = try result.get() }
                let applied = try await appliedMigrations(stores[0])
                #expect(applied.keys.sorted() == SchemaMigrations.all.map(\.name).sorted())
                // Every replica can use the schema, all at once.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, store) in stores.enumerated() {
                        group.addTask { _ = try await store.createUser(username: "replica\(index)") }
                    }
                    try await group.waitForAll()
                }
                #expect(try await stores[3].users(cursor: nil, limit: 10).items.count == 4)
            } catch {
                for store in stores { await store.close() }
                throw error
            }
            for store in stores { await store.close() }
        }
    }

    /// Each applied migration's name and when it was applied.
    private func appliedMigrations(_ store: Store) async throws -> [String: Int64] {
        let rows = try await store.sql.raw("SELECT name, applied_ms FROM parley_migrations").all()
        return try Dictionary(uniqueKeysWithValues: rows.map { (try $0.string("name"), try $0.int64("applied_ms")) })
    }
}
