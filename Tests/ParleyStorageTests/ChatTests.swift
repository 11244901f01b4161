import ParleyCore
import ParleyStorage
import ParleyStorageTesting
import Testing

@Suite("Chats")
struct ChatTests {
    @Test(arguments: TestBackend.allCases)
    func aCreatedChatCanBeReadBackByItsOwnerOnly(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            let settings = ChatSettings(
                model: "local/smollm2", systemPrompt: "Be brief.", parameters: ["temperature": .number(0.2)])
            let chat = try await store.createChat(
                ownerID: alice.id, title: "  Trip planning ", settings: settings, tags: ["travel"], pinned: true)
            #expect(chat.title == "Trip planning")
            #expect(chat.ownerID == alice.id)
            #expect(chat.settings == settings)
            #expect(chat.tags == ["travel"])
            #expect(chat.pinned)
            #expect(!chat.archived)
            #expect(chat.messageCount == 0)
            #expect(chat.activeLeafID == nil)
            #expect(try await store.chat(id: chat.id, userID: alice.id) == chat)
            await expectError(status: 404) { _ = try await store.chat(id: chat.id, userID: bob.id) }
            await expectError(status: 404) { _ = try await store.chat(id: "missing", userID: alice.id) }
            #expect(try await store.createChat(ownerID: alice.id, title: nil).title == "New chat")
        }
    }

    @Test(arguments: TestBackend.allCases)
    func invalidChatsAreRejectedNamingTheField(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            await expectError(status: 400, param: "title") {
                _ = try await store.createChat(ownerID: alice.id, title: "  ")
            }
            await expectError(status: 400, param: "tags[1]") {
                _ = try await store.createChat(ownerID: alice.id, title: "x", tags: ["ok", ""])
            }
            let chat = try await store.createChat(ownerID: alice.id, title: "x")
            await expectError(status: 422, param: "active_leaf_id") {
                _ = try await store.updateChat(id: chat.id, userID: alice.id, ChatChanges(activeLeafID: "nope"))
            }
            await expectError(status: 400, param: "limit") { _ = try await store.chats(userID: alice.id, limit: 0) }
            await expectError(status: 400, param: "cursor") {
                _ = try await store.chats(userID: alice.id, cursor: "%%%")
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func chatsAreListedMostRecentlyActiveFirstAcrossPages(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            var created: [String] = []
            for index in 0..<23 {
                created.append(try await store.createChat(ownerID: alice.id, title: "Chat \(index)").id)
            }
            _ = try await store.createChat(ownerID: bob.id, title: "Bob's")

            #expect(try await allChats(store, userID: alice.id, pageSize: 5) == created.reversed())

            // A new message brings the oldest chat to the top.
            try await store.addMessage(
                NewMessage(chatID: created[0], parentID: nil, authorID: alice.id, role: .user, content: "hi"))
            let listed = try await allChats(store, userID: alice.id, pageSize: 4)
            #expect(listed == [created[0]] + created.dropFirst().reversed())
        }
    }

    @Test(arguments: TestBackend.allCases)
    func archivedAndPinnedChatsAreFiltered(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let plain = try await store.createChat(ownerID: alice.id, title: "plain")
            let pinned = try await store.createChat(ownerID: alice.id, title: "pinned", pinned: true)
            let archived = try await store.createChat(ownerID: alice.id, title: "archived")
            let changed = try await store.updateChat(id: archived.id, userID: alice.id, ChatChanges(archived: true))
            #expect(changed.archived)

            #expect(try await store.chats(userID: alice.id).items.map(\.id) == [pinned.id, plain.id])
            #expect(try await store.chats(userID: alice.id, archived: true).items.map(\.id) == [archived.id])
            #expect(try await store.chats(userID: alice.id, pinned: true).items.map(\.id) == [pinned.id])
            #expect(try await store.chats(userID: alice.id, pinned: false).items.map(\.id) == [plain.id])
        }
    }

    @Test(arguments: TestBackend.allCases)
    func updatingAChatChangesOnlyWhatIsGiven(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let chat = try await store.createChat(ownerID: alice.id, title: "Before", tags: ["a"])
            let renamed = try await store.updateChat(id: chat.id, userID: alice.id, ChatChanges(title: "After"))
            #expect(renamed.title == "After")
            #expect(renamed.tags == ["a"])
            let settings = ChatSettings(model: "m", parameters: ["seed": .number(7)])
            let changed = try await store.updateChat(
                id: chat.id, userID: alice.id, ChatChanges(settings: settings, tags: ["b", "c"], pinned: true))
            #expect(changed.title == "After")
            #expect(changed.settings == settings)
            #expect(changed.tags == ["b", "c"])
            #expect(changed.pinned)
        }
    }

    /// Every chat id of a user's listing, following the cursors, checking no page repeats an id.
    private func allChats(_ store: Store, userID: String, pageSize: Int) async throws -> [String] {
        var ids: [String] = []
        var cursor: String?
        repeat {
            let page = try await store.chats(userID: userID, cursor: cursor, limit: pageSize)
            #expect(page.items.count <= pageSize)
            ids += page.items.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(Set(ids).count == ids.count, "a chat was listed twice")
        return ids
    }
}
