import ParleyCore
import ParleyStorage
import ParleyStorageTesting
import Testing

@Suite("Users")
struct UserTests {
    @Test(arguments: TestBackend.allCases)
    func usernamesAreUniqueRegardlessOfCase(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "Alice", displayName: "Alice A.")
            #expect(alice.username == "Alice")
            #expect(alice.displayName == "Alice A.")
            #expect(alice.role == .user)
            await expectError(status: 409, param: "username") { _ = try await store.createUser(username: "aLICE") }
            #expect(try await store.user(username: "ALICE")?.id == alice.id)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func invalidUsersAreRejectedNamingTheField(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            await expectError(status: 400, param: "username") { _ = try await store.createUser(username: "") }
            await expectError(status: 400, param: "username") { _ = try await store.createUser(username: "-dash") }
            await expectError(status: 400, param: "username") { _ = try await store.createUser(username: "a b") }
            let tooLong = String(repeating: "x", count: 65)
            await expectError(status: 400, param: "username") { _ = try await store.createUser(username: tooLong) }
            await expectError(status: 400, param: "profile") {
                _ = try await store.createUser(username: "bob", profile: .array([]))
            }
            let bob = try await store.createUser(username: "bob.smith@example.com")
            await expectError(status: 400, param: "display_name") {
                _ = try await store.updateUser(id: bob.id, UserChanges(displayName: ""))
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func deletingAUserFreesTheUsername(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let first = try await store.createUser(username: "carol")
            try await store.deleteUser(id: first.id)
            await expectError(status: 404) { _ = try await store.user(id: first.id) }
            #expect(try await store.user(username: "carol") == nil)
            let second = try await store.createUser(username: "Carol")
            #expect(second.id != first.id)
            await expectError(status: 404) { try await store.deleteUser(id: first.id) }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func updatesChangeOnlyWhatIsGiven(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let dave = try await store.createUser(username: "dave", passwordHash: "hash-1")
            _ = try await store.createUser(username: "erin")
            let updated = try await store.updateUser(
                id: dave.id,
                UserChanges(
                    displayName: "Dave D.", profile: .object(["locale": .string("fr")]), role: .admin,
                    recordInstructions: true))
            #expect(updated.username == "dave")
            #expect(updated.displayName == "Dave D.")
            #expect(updated.profile["locale"] == .string("fr"))
            #expect(updated.role == .admin)
            #expect(updated.recordInstructions)
            #expect(try await store.passwordHash(userID: dave.id) == "hash-1")

            let renamed = try await store.updateUser(
                id: dave.id, UserChanges(username: "David", passwordHash: .some(nil)))
            #expect(renamed.username == "David")
            #expect(renamed.displayName == "Dave D.")
            #expect(try await store.passwordHash(userID: dave.id) == nil)
            await expectError(status: 409, param: "username") {
                _ = try await store.updateUser(id: dave.id, UserChanges(username: "ERIN"))
            }
            await expectError(status: 404) { _ = try await store.updateUser(id: "nobody", UserChanges()) }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func usersAreListedByNameAPageAtATime(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let names = ["zoe", "Adam", "mia", "Bea", "liam"]
            for name in names { _ = try await store.createUser(username: name) }
            var listed: [String] = []
            var cursor: String?
            repeat {
                let page = try await store.users(cursor: cursor, limit: 2)
                listed += page.items.map(\.username)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(listed == names.sorted { $0.lowercased() < $1.lowercased() })
        }
    }

    @Test(arguments: TestBackend.allCases)
    func theLocalUserIsCreatedOnceAsAnAdmin(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let first = try await store.localUser()
            let second = try await store.localUser()
            #expect(first.id == second.id)
            #expect(first.role == .admin)
        }
    }
}
