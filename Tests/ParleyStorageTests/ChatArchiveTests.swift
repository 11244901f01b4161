import Foundation
import ParleyCore
import ParleyStorageTesting
import SQLKit
import Testing

@testable import ParleyStorage

@Suite struct ChatArchiveTests {
    @Test(arguments: ArchiveTestDatabase.available)
    func exportThenImportGivesTheSameTreeContentsAndActiveBranch(database: ArchiveTestDatabase) async throws {
        try await database.withStore { store, user in
            let original = try await Self.makeBranchedChat(store: store, user: user)
            let exported = try await store.exportChat(id: original.id, userID: user.id)

            let archive = try ChatArchive(parleyJSON: exported.parleyJSON())
            let imported = try await store.importChat(ownerID: user.id, archive: archive)
            let reexported = try await store.exportChat(id: imported.id, userID: user.id)

            #expect(imported.id != original.id)
            #expect(imported.title == "Trip to Lisbon")
            #expect(imported.tags == ["travel"])
            #expect(
                imported.settings
                    == ChatSettings(model: "llama-3", systemPrompt: "Be brief.", parameters: ["temperature": 0.5]))
            #expect(imported.createdAt == original.createdAt)
            #expect(imported.updatedAt == exported.updatedAt)
            #expect(imported.messageCount == 5)
            #expect(Self.shape(of: reexported) == Self.shape(of: exported))
            #expect(
                reexported.activeBranch().map(\.content) == [
                    "Where should I eat?", "Try **Time Out Market**.", "And for dessert?", "",
                ])
            let originalIDs = Set(exported.messages.map(\.id))
            #expect(reexported.messages.allSatisfy { !originalIDs.contains($0.id) })
        }
    }

    @Test(arguments: ArchiveTestDatabase.available)
    func exportLeavesOutSecretsAndUserIDs(database: ArchiveTestDatabase) async throws {
        try await database.withStore { store, user in
            let chat = try await Self.makeBranchedChat(store: store, user: user)
            let text = String(
                decoding: try await store.exportChat(id: chat.id, userID: user.id).parleyJSON(), as: UTF8.self)

            #expect(!text.contains("sk-live-123"))
            #expect(!text.contains("Bearer abc"))
            #expect(!text.contains(user.id))
            #expect(text.contains("\"temperature\" : 0.5"))
            #expect(text.contains("\"max_tokens\" : 256"))
        }
    }

    @Test func exportStartsWithItsFormatAndVersion() throws {
        let archive = ChatArchive(
            title: "Hi", createdAt: Timestamp(milliseconds: 0), updatedAt: Timestamp(milliseconds: 0), messages: [])
        let document = try JSONValue.parse(archive.parleyJSON(exportedAt: Timestamp(milliseconds: 1_714_550_400_000)))

        #expect(document["format"] == "parley.chat")
        #expect(document["version"] == 1)
        #expect(document["exported_at"] == "2024-05-01T08:00:00.000Z")
        #expect(document["chat"]?["title"] == "Hi")
        #expect(document["messages"] == [])
    }

    @Test(arguments: ArchiveTestDatabase.available)
    func exportingSomeoneElsesChatIsNotFound(database: ArchiveTestDatabase) async throws {
        try await database.withStore { store, user in
            let chat = try await store.createChat(ownerID: user.id, title: "Mine")
            let stranger = try await store.createUser(username: ArchiveTestDatabase.uniqueName())

            let error = await #expect(throws: ParleyError.self) {
                try await store.exportChat(id: chat.id, userID: stranger.id)
            }
            #expect(error?.status == 404)
        }
    }

    @Test(arguments: ArchiveTestDatabase.available)
    func importKeepsOriginalTimesAndFilesAmongOldChats(database: ArchiveTestDatabase) async throws {
        try await database.withStore { store, user in
            _ = try await store.createChat(ownerID: user.id, title: "Today")
            let archive = ChatArchive(
                title: "Last year", createdAt: Timestamp(milliseconds: 1_700_000_000_000),
                updatedAt: Timestamp(milliseconds: 1_700_000_500_000),
                messages: [
                    .init(
                        id: "q", parentID: nil, role: .user, content: "Hello",
                        createdAt: Timestamp(milliseconds: 1_700_000_100_000))
                ])

            let imported = try await store.importChat(ownerID: user.id, archive: archive)
            let tree = try await store.messageTree(chatID: imported.id)

            #expect(imported.createdAt.milliseconds == 1_700_000_000_000)
            #expect(imported.updatedAt.milliseconds == 1_700_000_500_000)
            #expect(tree.messages.map(\.createdAt.milliseconds) == [1_700_000_100_000])
            #expect(tree.messages.first?.authorID == user.id)
            #expect(try await store.chats(userID: user.id).items.map(\.title) == ["Today", "Last year"])
        }
    }

    @Test(arguments: ArchiveTestDatabase.available)
    func childrenListedBeforeTheirParentsStillImportAsATree(database: ArchiveTestDatabase) async throws {
        try await database.withStore { store, user in
            let time = Timestamp(milliseconds: 1_700_000_000_000)
            let archive = ChatArchive(
                title: "Shuffled", createdAt: time, updatedAt: time, activeLeafID: "a1",
                messages: [
                    .init(id: "a2", parentID: "q", role: .assistant, content: "Second answer", createdAt: time),
                    .init(id: "a1", parentID: "q", role: .assistant, content: "First answer", createdAt: time),
                    .init(id: "q", parentID: nil, role: .user, content: "Question", createdAt: time),
                ])

            let chat = try await store.importChat(ownerID: user.id, archive: archive)
            let branch = try await store.messageTree(chatID: chat.id).branch(endingAt: chat.activeLeafID)

            #expect(branch.map(\.content) == ["Question", "First answer"])
            #expect(branch.last?.siblingIDs?.count == 2)
        }
    }

    @Test(arguments: ArchiveTestDatabase.available)
    func importThatFailsPartwayLeavesNothingBehind(database: ArchiveTestDatabase) async throws {
        struct Interrupted: Error {}
        try await database.withStore { store, user in
            // Past the first batch, so some messages are already written when it fails.
            let archive = Self.longChat(messages: Store.importBatchSize + 100)

            await #expect(throws: Interrupted.self) {
                try await store.importChat(ownerID: user.id, archive: archive) { position in
                    if position == Store.importBatchSize + 50 { throw Interrupted() }
                }
            }

            #expect(try await store.chats(userID: user.id).items.isEmpty)
            #expect(
                try await Self.count(store, "SELECT COUNT(*) AS n FROM chats WHERE owner_id = \(bind: user.id)") == 0)
            #expect(
                try await Self.count(store, "SELECT COUNT(*) AS n FROM messages WHERE author_id = \(bind: user.id)")
                    == 0)
            let complete = try await store.importChat(ownerID: user.id, archive: archive)
            #expect(complete.messageCount == Store.importBatchSize + 100)
        }
    }

    @Test(arguments: ArchiveTestDatabase.available)
    func importForAnUnknownUserIsNotFoundAndWritesNothing(database: ArchiveTestDatabase) async throws {
        try await database.withStore { store, _ in
            let error = await #expect(throws: ParleyError.self) {
                try await store.importChat(ownerID: "no-such-user", archive: Self.longChat(messages: 3))
            }
            #expect(error?.status == 404)
            let chats = try await Self.count(
                store, "SELECT COUNT(*) AS n FROM chats WHERE owner_id = \(bind: "no-such-user")")
            #expect(chats == 0)
        }
    }

    @Test(arguments: ArchiveTestDatabase.available)
    func aReplyStreamingWhenExportedImportsAsPartial(database: ArchiveTestDatabase) async throws {
        try await database.withStore { store, user in
            let time = Timestamp(milliseconds: 1_700_000_000_000)
            let archive = ChatArchive(
                title: "Cut off", createdAt: time, updatedAt: time,
                messages: [
                    .init(id: "q", parentID: nil, role: .user, content: "Tell me a story", createdAt: time),
                    .init(
                        id: "a", parentID: "q", role: .assistant, content: "Once upon", status: .streaming,
                        createdAt: time),
                ])

            let chat = try await store.importChat(ownerID: user.id, archive: archive)

            #expect(try await store.messageTree(chatID: chat.id).messages.map(\.status) == [.complete, .partial])
        }
    }

    // MARK: - Helpers

    /// A question with two answers (the second, a partial regeneration); the first answer has a follow-up
    /// with an image part and a failed reply; the first answer's branch is the active one.
    static func makeBranchedChat(store: Store, user: UserRecord) async throws -> ChatRecord {
        let base: Int64 = 1_700_000_000_000
        func at(_ seconds: Int64) -> Timestamp { Timestamp(milliseconds: base + seconds * 1000) }
        let chat = try await store.createChat(
            ownerID: user.id, title: "Trip to Lisbon",
            settings: ChatSettings(
                model: "llama-3", systemPrompt: "Be brief.",
                parameters: ["temperature": 0.5, "api_key": "sk-live-123"]),
            tags: ["travel"], createdAt: at(0))
        let question = try await store.addMessage(
            NewMessage(
                chatID: chat.id, parentID: nil, authorID: user.id, role: .user, content: "Where should I eat?",
                createdAt: at(1)))
        let first = try await store.addMessage(
            NewMessage(
                chatID: chat.id, parentID: question.id, authorID: nil, role: .assistant,
                content: "Try **Time Out Market**.",
                model: "llama-3", provider: "local",
                parameters: ["max_tokens": 256, "extra_headers": ["Authorization": "Bearer abc"]],
                usage: TokenUsage(promptTokens: 12, completionTokens: 30), latencyMs: 850, createdAt: at(2)))
        _ = try await store.addMessage(
            NewMessage(
                chatID: chat.id, parentID: question.id, authorID: nil, role: .assistant, content: "Cervejaria",
                model: "qwen-2.5", status: .partial, error: "the client went away", createdAt: at(3)))
        let followUp = try await store.addMessage(
            NewMessage(
                chatID: chat.id, parentID: first.id, authorID: user.id, role: .user, content: "And for dessert?",
                parts: [
                    ["type": "text", "text": "And for dessert?"],
                    ["type": "image_url", "image_url": ["url": "https://example.com/tart.jpg"]],
                ],
                createdAt: at(4)))
        _ = try await store.addMessage(
            NewMessage(
                chatID: chat.id, parentID: followUp.id, authorID: nil, role: .assistant, content: "", model: "llama-3",
                status: .error, error: "upstream timed out", createdAt: at(5)))
        return try await store.selectBranch(chatID: chat.id, userID: user.id, messageID: first.id)
    }

    /// A user and an assistant taking turns, `messages` long.
    static func longChat(messages count: Int) -> ChatArchive {
        let time = Timestamp(milliseconds: 1_700_000_000_000)
        let messages = (0..<count).map { (index: Int) -> ChatArchive.Message in
            let parentID: String? = index == 0 ? nil : "m\(index - 1)"
            let role: ChatRole = index % 2 == 0 ? .user : .assistant
            let created = Timestamp(milliseconds: time.milliseconds + Int64(index))
            return ChatArchive.Message(
                id: "m\(index)", parentID: parentID, role: role, content: "Message \(index)", createdAt: created)
        }
        return ChatArchive(title: "Long", createdAt: time, updatedAt: time, messages: messages)
    }

    /// What must survive a round trip: every field but the ids, with parents given as positions.
    struct Shape: Equatable {
        var parent: Int?
        var role: ChatRole
        var content: String
        var parts: JSONValue?
        var model: String?
        var provider: String?
        var parameters: JSONValue?
        var usage: TokenUsage?
        var latencyMs: Int64?
        var status: MessageStatus
        var error: String?
        var createdAt: Timestamp
        var isActiveLeaf: Bool
    }

    static func shape(of archive: ChatArchive) -> [Shape] {
        let position = Dictionary(uniqueKeysWithValues: archive.messages.enumerated().map { ($1.id, $0) })
        return archive.messages.map { message in
            Shape(
                parent: message.parentID.flatMap { position[$0] }, role: message.role, content: message.content,
                parts: message.parts, model: message.model, provider: message.provider, parameters: message.parameters,
                usage: message.usage, latencyMs: message.latencyMs, status: message.status, error: message.error,
                createdAt: message.createdAt, isActiveLeaf: message.id == archive.activeLeafID)
        }
    }

    static func count(_ store: Store, _ query: SQLQueryString) async throws -> Int {
        try await store.sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? -1
    }
}
