import ParleyCore
import ParleyStorage
import ParleyStorageTesting
import Testing

@Suite("Prompts")
struct PromptTests {
    @Test(arguments: TestBackend.allCases)
    func usersSeeTheirOwnAndSharedPrompts(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            let own = try await store.createPrompt(
                ownerID: alice.id, title: "Mine", body: "Summarise {{text}}", shared: false)
            let shared = try await store.createPrompt(
                ownerID: bob.id, title: "Team", body: "Review {{code}}", shared: true)
            let hidden = try await store.createPrompt(ownerID: bob.id, title: "Private", body: "Secret", shared: false)

            #expect(try await store.prompts(userID: alice.id).items.map(\.id) == [shared.id, own.id])
            #expect(try await store.prompts(userID: bob.id).items.map(\.id) == [hidden.id, shared.id])
            #expect(try await store.prompt(id: shared.id, userID: alice.id).title == "Team")
            await expectError(status: 404) { _ = try await store.prompt(id: hidden.id, userID: alice.id) }

            let firstPage = try await store.prompts(userID: bob.id, limit: 1)
            let secondPage = try await store.prompts(userID: bob.id, cursor: firstPage.nextCursor, limit: 1)
            #expect(firstPage.items.map(\.id) == [hidden.id])
            #expect(secondPage.items.map(\.id) == [shared.id])
            #expect(secondPage.nextCursor == nil)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func onlyTheOwnerChangesAPrompt(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            let shared = try await store.createPrompt(ownerID: bob.id, title: "Team", body: "Review", shared: true)
            let hidden = try await store.createPrompt(ownerID: bob.id, title: "Private", body: "Secret", shared: false)

            await expectError(status: 403) {
                _ = try await store.updatePrompt(
                    id: shared.id, userID: alice.id, title: "Mine now", body: nil, shared: nil)
            }
            await expectError(status: 403) { try await store.deletePrompt(id: shared.id, userID: alice.id) }
            await expectError(status: 404) {
                _ = try await store.updatePrompt(id: hidden.id, userID: alice.id, title: "x", body: nil, shared: nil)
            }

            let updated = try await store.updatePrompt(
                id: shared.id, userID: bob.id, title: nil, body: "Review {{ lang }}", shared: false)
            #expect(updated.title == "Team")
            #expect(updated.body == "Review {{ lang }}")
            #expect(!updated.shared)
            await expectError(status: 404) { _ = try await store.prompt(id: shared.id, userID: alice.id) }
            await expectError(status: 400, param: "body") {
                _ = try await store.updatePrompt(id: shared.id, userID: bob.id, title: nil, body: "", shared: nil)
            }

            try await store.deletePrompt(id: hidden.id, userID: bob.id)
            await expectError(status: 404) { _ = try await store.prompt(id: hidden.id, userID: bob.id) }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func variablesAreFoundAndFilledIn(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let prompt = try await store.createPrompt(
                ownerID: alice.id, title: "Translate",
                body: "Translate {{ text }} into {{language}}; keep {{text}} short. {{}}",
                shared: false)
            #expect(prompt.variables == ["text", "language"])
            let rendered = PromptTemplate.render(prompt.body, values: ["text": "hello", "language": "French"])
            #expect(rendered == "Translate hello into French; keep hello short. {{}}")
            #expect(PromptTemplate.render("Hi {{name}} {{other}}", values: ["name": "Ann"]) == "Hi Ann {{other}}")
        }
    }
}
