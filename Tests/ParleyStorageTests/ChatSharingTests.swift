import ParleyCore
import ParleyStorage
import ParleyStorageTesting
import Testing

@Suite("Chat sharing")
struct ChatSharingTests {
    @Test(arguments: TestBackend.allCases)
    func aSharedChatIsVisibleToTheMember(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            let chat = try await store.createChat(ownerID: alice.id, title: "Shared")
            let members = try await store.addMember(chatID: chat.id, userID: alice.id, username: "BOB")
            #expect(members.map(\.username) == ["alice", "bob"])
            #expect(members.map(\.role) == ["owner", "member"])

            let seen = try await store.chat(id: chat.id, userID: bob.id)
            #expect(seen.ownerID == alice.id)
            #expect(try await store.chats(userID: bob.id).items.map(\.id) == [chat.id])
            #expect(try await store.members(chatID: chat.id, userID: bob.id) == members)

            // Pinning is each member's own.
            _ = try await store.updateChat(id: chat.id, userID: bob.id, ChatChanges(pinned: true))
            #expect(try await store.chat(id: chat.id, userID: bob.id).pinned)
            #expect(try await !store.chat(id: chat.id, userID: alice.id).pinned)

            // Sharing twice changes nothing.
            #expect(try await store.addMember(chatID: chat.id, userID: alice.id, username: "bob") == members)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func onlyTheOwnerSharesAndRemovesOthers(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            let carol = try await store.createUser(username: "carol")
            let chat = try await store.createChat(ownerID: alice.id, title: "Shared")
            _ = try await store.addMember(chatID: chat.id, userID: alice.id, username: "bob")
            _ = try await store.addMember(chatID: chat.id, userID: alice.id, username: "carol")

            await expectError(status: 403) {
                _ = try await store.addMember(chatID: chat.id, userID: bob.id, username: "dave")
            }
            await expectError(status: 403) {
                try await store.removeMember(chatID: chat.id, userID: bob.id, memberID: carol.id)
            }
            await expectError(status: 422, param: "username") {
                _ = try await store.addMember(chatID: chat.id, userID: alice.id, username: "nobody")
            }
            await expectError(status: 422) {
                try await store.removeMember(chatID: chat.id, userID: alice.id, memberID: alice.id)
            }
            // Someone who is not a member does not learn that the chat exists.
            let dave = try await store.createUser(username: "dave")
            await expectError(status: 404) {
                _ = try await store.addMember(chatID: chat.id, userID: dave.id, username: "dave")
            }

            try await store.removeMember(chatID: chat.id, userID: alice.id, memberID: carol.id)
            await expectError(status: 404) { _ = try await store.chat(id: chat.id, userID: carol.id) }
            #expect(try await store.members(chatID: chat.id, userID: alice.id).map(\.username) == ["alice", "bob"])
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aMemberCanLeave(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            let carol = try await store.createUser(username: "carol")
            let chat = try await store.createChat(ownerID: alice.id, title: "Shared")
            _ = try await store.addMember(chatID: chat.id, userID: alice.id, username: "bob")
            _ = try await store.addMember(chatID: chat.id, userID: alice.id, username: "carol")

            try await store.deleteChat(id: chat.id, userID: bob.id)
            try await store.removeMember(chatID: chat.id, userID: carol.id, memberID: carol.id)
            for member in [bob, carol] {
                await expectError(status: 404) { _ = try await store.chat(id: chat.id, userID: member.id) }
                #expect(try await store.chats(userID: member.id).items.isEmpty)
            }
            #expect(try await store.chat(id: chat.id, userID: alice.id).id == chat.id)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func deletingByTheOwnerHidesTheChatFromEveryone(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            let chat = try await store.createChat(ownerID: alice.id, title: "Gone soon")
            let kept = try await store.createChat(ownerID: alice.id, title: "Kept")
            _ = try await store.addMember(chatID: chat.id, userID: alice.id, username: "bob")

            try await store.deleteChat(id: chat.id, userID: alice.id)
            for user in [alice, bob] {
                await expectError(status: 404) { _ = try await store.chat(id: chat.id, userID: user.id) }
            }
            #expect(try await store.chats(userID: alice.id).items.map(\.id) == [kept.id])
            #expect(try await store.chats(userID: bob.id).items.isEmpty)
            await expectError(status: 404) { try await store.deleteChat(id: chat.id, userID: alice.id) }
        }
    }
}
