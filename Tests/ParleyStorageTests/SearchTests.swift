import ParleyCore
import ParleyStorageTesting
import Testing

@_spi(Seeding) @testable import ParleyStorage

@Suite("Search")
struct SearchTests {
    @Test(arguments: TestBackend.allCases)
    func everyWordMustMatchAndTheLastMayBeAPrefix(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let chat = try await store.createChat(ownerID: alice.id, title: "Animals")
            let fox = try await say(store, chat, "The quick brown fox jumps over the lazy dog")
            _ = try await say(store, chat, "A slow green turtle")

            let both = try await store.search(userID: alice.id, query: "Fox QUICK")
            #expect(both.map(\.messageID) == [fox.id])
            #expect(both.first?.chatID == chat.id)
            #expect(both.first?.chatTitle == "Animals")
            #expect(both.first?.role == .user)
            #expect(both.first?.snippet == "The quick brown fox jumps over the lazy dog")
            #expect(try await store.search(userID: alice.id, query: "quick bro").map(\.messageID) == [fox.id])
            #expect(try await store.search(userID: alice.id, query: "bro quick").isEmpty)
            #expect(try await store.search(userID: alice.id, query: "fox turtle").isEmpty)
            #expect(try await store.search(userID: alice.id, query: "zebra").isEmpty)
            // One letter is a word, not a beginning.
            let article = try await say(store, chat, "A dog and an apple")
            #expect(try await store.search(userID: alice.id, query: "dog a").map(\.messageID) == [article.id])
            #expect(try await store.search(userID: alice.id, query: "dog ap").map(\.messageID) == [article.id])
            #expect(try await store.search(userID: alice.id, query: "t").isEmpty)
            await expectError(status: 400, param: "q") { _ = try await store.search(userID: alice.id, query: " ?! ") }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func titlesAndMessagesBothMatchNewestFirst(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let titled = try await store.createChat(ownerID: alice.id, title: "Gardening notes")
            let other = try await store.createChat(ownerID: alice.id, title: "Misc")
            let older = try await say(store, other, "My gardening gloves are torn")
            let newer = try await say(store, titled, "Water the gardening beds at dawn")

            let hits = try await store.search(userID: alice.id, query: "gardening")
            #expect(hits.count == 3)
            #expect(hits.first?.messageID == nil)
            #expect(hits.first?.chatID == titled.id)
            #expect(hits.first?.snippet == "Gardening notes")
            #expect(hits.dropFirst().map(\.messageID) == [newer.id, older.id])

            let renamed = try await store.updateChat(
                id: other.id, userID: alice.id, ChatChanges(title: "Gardening gear"))
            #expect(try await store.search(userID: alice.id, query: "gear").map(\.chatID) == [renamed.id])
            #expect(try await store.search(userID: alice.id, query: "misc").isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func onlyTheUsersLiveChatsAreSearched(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            let mine = try await store.createChat(ownerID: alice.id, title: "Mine")
            let theirs = try await store.createChat(ownerID: bob.id, title: "Theirs")
            let shared = try await store.createChat(ownerID: bob.id, title: "Shared")
            let deleted = try await store.createChat(ownerID: alice.id, title: "Deleted")
            let own = try await say(store, mine, "pineapple pizza")
            _ = try await say(store, theirs, "pineapple juice")
            let fromShared = try await say(store, shared, "pineapple cake")
            _ = try await say(store, deleted, "pineapple salsa")
            _ = try await store.addMember(chatID: shared.id, userID: bob.id, username: "alice")
            try await store.deleteChat(id: deleted.id, userID: alice.id)

            let hits = try await store.search(userID: alice.id, query: "pineapple")
            #expect(Set(hits.compactMap(\.messageID)) == [own.id, fromShared.id])
            #expect(try await store.search(userID: alice.id, query: "deleted").isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func wordsInsideAddressesPathsAndVersionsAreFound(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let chat = try await store.createChat(ownerID: alice.id, title: "Links")
            let message = try await say(
                store, chat,
                "Mail bob.smith@example.com, read https://docs.example.org/guide/intro.html, run /usr/bin/env v1.2.3")
            for query in ["example", "smith", "guide intro", "usr env", "v1 2", "html"] {
                #expect(
                    try await store.search(userID: alice.id, query: query).map(\.messageID) == [message.id], "\(query)")
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aStreamingReplyIsFoundOnceItEnds(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let chat = try await store.createChat(ownerID: alice.id, title: "Streaming")
            let reply = try await store.addMessage(
                NewMessage(
                    chatID: chat.id, parentID: nil, authorID: nil, role: .assistant, content: "", status: .streaming))
            try await store.updateMessage(id: reply.id, content: "Photosynthesis turns", status: .streaming)
            #expect(try await store.search(userID: alice.id, query: "photosynthesis").isEmpty)

            try await store.updateMessage(
                id: reply.id, content: "Photosynthesis turns light into sugar", status: .complete)
            #expect(
                try await store.search(userID: alice.id, query: "photosynthesis sugar").map(\.messageID) == [reply.id])

            // Edited afterwards (a reply continued), it is found by its new text only.
            try await store.updateMessage(
                id: reply.id, content: "Photosynthesis turns light into starch", status: .partial)
            #expect(try await store.search(userID: alice.id, query: "sugar").isEmpty)
            #expect(try await store.search(userID: alice.id, query: "starch").map(\.messageID) == [reply.id])

            // Written as streaming again, it leaves the index until it ends.
            try await store.updateMessage(id: reply.id, content: "Photosynthesis turns light", status: .streaming)
            #expect(try await store.search(userID: alice.id, query: "photosynthesis").isEmpty)
            try await store.updateMessage(
                id: reply.id, content: "Photosynthesis turns light.", status: .error, error: "x")
            #expect(try await store.search(userID: alice.id, query: "photosynthesis").map(\.messageID) == [reply.id])
            if backend == .sqlite {
                // The index holds exactly what the table holds (no message is streaming now).
                try await store.sql.raw("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)")
                    .run()
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aUserWhoseChatsHoldFewOfTheMatchesStillFindsThem(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            let old = try await store.createChat(ownerID: alice.id, title: "Zebra notes")
            let hers = try await say(store, old, "I saw a zebra")
            // More newer matches in someone else's chats than a search first looks at.
            let now = Timestamp.now().milliseconds - 60_000
            var chats: [[any Encodable & Sendable]] = []
            var members: [[any Encodable & Sendable]] = []
            var messages: [[any Encodable & Sendable]] = []
            for index in 0..<(Store.searchCandidates + 50) {
                let chatID = Store.makeIdentifier(at: now - Int64(index))
                chats.append([chatID, bob.id, "Zebra \(index)", now, now])
                members.append([chatID, bob.id, "owner", false, false, now])
                messages.append([
                    Store.makeIdentifier(at: now), chatID, "user", "zebra number \(index)", "complete", now, now,
                ])
            }
            try await store.bulkInsert(
                into: "chats", columns: ["id", "owner_id", "title", "created_ms", "updated_ms"], rows: chats)
            try await store.bulkInsert(
                into: "chat_members", columns: ["chat_id", "user_id", "role", "pinned", "archived", "updated_ms"],
                rows: members)
            try await store.bulkInsert(
                into: "messages", columns: ["id", "chat_id", "role", "content", "status", "created_ms", "updated_ms"],
                rows: messages)

            let hits = try await store.search(userID: alice.id, query: "zebra")
            #expect(hits.map(\.chatID) == [old.id, old.id])
            #expect(hits.map(\.messageID) == [nil, hers.id])
            #expect(try await store.search(userID: bob.id, query: "zebra", limit: 30).count == 30)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func longMessagesAreShortenedAroundTheMatch(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let chat = try await store.createChat(ownerID: alice.id, title: "Long")
            let filler = String(repeating: "lorem ipsum dolor ", count: 30)
            _ = try await say(store, chat, filler + "needle " + filler)
            let hit = try #require(try await store.search(userID: alice.id, query: "needle").first)
            #expect(hit.snippet.contains("needle"))
            #expect(hit.snippet.hasPrefix("…"))
            #expect(hit.snippet.hasSuffix("…"))
            #expect(hit.snippet.count <= 162)
        }
    }

    private func say(_ store: Store, _ chat: ChatRecord, _ text: String) async throws -> MessageRecord {
        try await store.addMessage(
            NewMessage(chatID: chat.id, parentID: nil, authorID: chat.ownerID, role: .user, content: text))
    }
}
