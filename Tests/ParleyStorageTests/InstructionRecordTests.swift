import ParleyCore
import ParleyStorage
import ParleyStorageTesting
import Testing

@Suite("Instruction records")
struct InstructionRecordTests {
    @Test(arguments: TestBackend.allCases)
    func recordsAreListedNewestFirstAPageAtATime(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            var kept: [InstructionRecord] = []
            for index in 0..<7 {
                kept.append(
                    try await store.addRecord(
                        userID: alice.id, action: "message.send", chatID: "chat-\(index)", model: "smollm2",
                        detail: .object(["n": .number(Double(index))]), outcome: "ok"))
            }
            _ = try await store.addRecord(userID: bob.id, action: "chat.create", outcome: "ok")

            var listed: [InstructionRecord] = []
            var cursor: String?
            repeat {
                let page = try await store.records(userID: alice.id, cursor: cursor, limit: 3)
                listed += page.items
                cursor = page.nextCursor
            } while cursor != nil
            #expect(listed == kept.reversed())
            #expect(listed.first?.detail["n"] == .number(6))
            #expect(try await store.records(userID: nil).items.count == 8)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func recordsAreDeletedOneOrAllAtATimePerUser(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            let first = try await store.addRecord(userID: alice.id, action: "message.send", outcome: "ok")
            let second = try await store.addRecord(userID: alice.id, action: "message.send", outcome: "503 unavailable")
            _ = try await store.addRecord(userID: alice.id, action: "chat.create", outcome: "ok")
            let bobs = try await store.addRecord(userID: bob.id, action: "chat.create", outcome: "ok")

            await expectError(status: 404) { try await store.deleteRecord(id: bobs.id, userID: alice.id) }
            try await store.deleteRecord(id: first.id, userID: alice.id)
            #expect(try await !store.records(userID: alice.id).items.map(\.id).contains(first.id))
            #expect(try await store.records(userID: alice.id).items.contains(second))

            #expect(try await store.deleteRecords(userID: alice.id) == 2)
            #expect(try await store.records(userID: alice.id).items.isEmpty)
            #expect(try await store.records(userID: bob.id).items.map(\.id) == [bobs.id])
        }
    }
}
