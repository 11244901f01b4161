import ParleyStorageTesting
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

    @Test(arguments: TestBackend.allCases)
    func chunksIndexedBeforeSearchByCollectionAreFoundInTheirCollectionAfterIt(backend: TestBackend) async throws {
        try await withDatabase(backend) { database in
            let earlier = SchemaMigrations.all.prefix { $0.name != SchemaMigrations.knowledgeSearchScope.name }
            let old = try await Store.open(
                url: database.url, dataDirectory: database.directory, secretKey: nil, logger: TestDatabase.logger,
                migrations: Array(earlier))
            let alice = try await old.createUser(username: "alice")
            var collections: [String] = []
            let texts = ["The boiler pressure stays under three bar.", "The boiler room is locked."]
            for (index, text) in texts.enumerated() {
                let id = Identifier.make(at: 1_000 + Int64(index))
                collections.append(id)
                try await old.sql.raw(
                    """
                    INSERT INTO knowledge_collections (id, owner_id, name, name_key, shared, created_ms, updated_ms)
                    VALUES (\(bind: id), \(bind: alice.id), \(bind: "c\(index)"), \(bind: "c\(index)"),
                        \(bind: false), 1, 1)
                    """
                ).run()
                try await old.sql.raw(
                    """
                    INSERT INTO knowledge_chunks (document_id, collection_id, ordinal, text, tokens)
                    VALUES (\(bind: "d\(index)"), \(bind: id), 0, \(bind: text), 8)
                    """
                ).run()
            }
            await old.close()

            let store = try await database.open()
            do {
                let first = try await store.searchChunks(collectionIDs: [collections[0]], words: ["boiler"], limit: 5)
                #expect(first.count == 1)
                let both = try await store.searchChunks(collectionIDs: collections, words: ["boiler"], limit: 5)
                #expect(both.count == 2)
                // Chunks written after the migration are indexed, and removed ones leave the index.
                try await store.sql.raw(
                    """
                    INSERT INTO knowledge_chunks (document_id, collection_id, ordinal, text, tokens)
                    VALUES ('d2', \(bind: collections[0]), 1, 'A second boiler.', 3)
                    """
                ).run()
                #expect(
                    try await store.searchChunks(collectionIDs: [collections[0]], words: ["boiler"], limit: 5).count
                        == 2)
                try await store.sql.raw("DELETE FROM knowledge_chunks WHERE document_id = 'd0'").run()
                #expect(
                    try await store.searchChunks(collectionIDs: [collections[0]], words: ["pressure"], limit: 5)
                        .isEmpty)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }

    /// Each applied migration's name and when it was applied.
    private func appliedMigrations(_ store: Store) async throws -> [String: Int64] {
        let rows = try await store.sql.raw("SELECT name, applied_ms FROM parley_migrations").all()
        return try Dictionary(uniqueKeysWithValues: rows.map { (try $0.string("name"), try $0.int64("applied_ms")) })
    }
}
