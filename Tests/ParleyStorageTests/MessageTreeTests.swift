import ParleyCore
import ParleyStorage
import ParleyStorageTesting
import Testing

@Suite("Message trees")
struct MessageTreeTests {
    @Test(arguments: TestBackend.allCases)
    func messagesAreStoredAndTheActiveLeafFollowsThem(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let chat = try await store.createChat(ownerID: alice.id, title: "Tree")
            let parts: JSONValue = .array([.object(["type": .string("text"), "text": .string("What is this?")])])
            let question = try await store.addMessage(
                NewMessage(
                    chatID: chat.id, parentID: nil, authorID: alice.id, role: .user, content: "What is this?",
                    parts: parts))
            #expect(question.parts == parts)
            #expect(question.status == .complete)
            #expect(try await store.chat(id: chat.id, userID: alice.id).activeLeafID == question.id)

            let answer = try await store.addMessage(
                NewMessage(
                    chatID: chat.id, parentID: question.id, authorID: nil, role: .assistant, content: "A cat.",
                    model: "smollm2", provider: "local", parameters: .object(["temperature": .number(0.5)]),
                    usage: TokenUsage(promptTokens: 12, completionTokens: 3), latencyMs: 42))
            #expect(answer.usage == TokenUsage(promptTokens: 12, completionTokens: 3))
            #expect(answer.latencyMs == 42)
            #expect(answer.parameters?["temperature"] == .number(0.5))
            #expect(try await store.message(id: answer.id, chatID: chat.id) == answer)

            let reloaded = try await store.chat(id: chat.id, userID: alice.id)
            #expect(reloaded.activeLeafID == answer.id)
            #expect(reloaded.messageCount == 2)
            let branch = try await store.messageTree(chatID: chat.id).branch(endingAt: reloaded.activeLeafID)
            #expect(branch.map(\.id) == [question.id, answer.id])
            #expect(branch.map(\.siblingIDs) == [[question.id], [answer.id]])
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aParentMustBeInTheSameChat(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let first = try await store.createChat(ownerID: alice.id, title: "One")
            let second = try await store.createChat(ownerID: alice.id, title: "Two")
            let elsewhere = try await store.addMessage(
                NewMessage(chatID: first.id, parentID: nil, authorID: alice.id, role: .user, content: "hi"))
            await expectError(status: 422, param: "parent_id") {
                _ = try await store.addMessage(
                    NewMessage(chatID: second.id, parentID: elsewhere.id, authorID: nil, role: .assistant, content: "x")
                )
            }
            await expectError(status: 404) { _ = try await store.message(id: elsewhere.id, chatID: second.id) }
            #expect(try await store.chat(id: second.id, userID: alice.id).messageCount == 0)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func regeneratingMakesASiblingAndBranchesCanBeSelected(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let chat = try await store.createChat(ownerID: alice.id, title: "Branches")
            func add(_ parent: MessageRecord?, _ role: ChatRole, _ text: String) async throws -> MessageRecord {
                try await store.addMessage(
                    NewMessage(chatID: chat.id, parentID: parent?.id, authorID: nil, role: role, content: text))
            }
            let question = try await add(nil, .user, "Tell me a joke")
            let first = try await add(question, .assistant, "Joke one")
            let followUp = try await add(first, .user, "Another")
            let deep = try await add(followUp, .assistant, "Joke three")
            let second = try await add(question, .assistant, "Joke two")

            let tree = try await store.messageTree(chatID: chat.id)
            #expect(tree.messages.count == 5)
            let active = tree.branch(endingAt: try await store.chat(id: chat.id, userID: alice.id).activeLeafID)
            #expect(active.map(\.id) == [question.id, second.id])
            #expect(active[1].siblingIDs == [first.id, second.id])
            #expect(tree.branch(endingAt: deep.id).map(\.id) == [question.id, first.id, followUp.id, deep.id])

            // Choosing the first answer again shows its newest continuation.
            let selected = try await store.selectBranch(chatID: chat.id, userID: alice.id, messageID: first.id)
            #expect(selected.activeLeafID == deep.id)
            let back = try await store.selectBranch(chatID: chat.id, userID: alice.id, messageID: question.id)
            #expect(back.activeLeafID == second.id)
            await expectError(status: 422, param: "message_id") {
                _ = try await store.selectBranch(chatID: chat.id, userID: alice.id, messageID: "missing")
            }
            let bob = try await store.createUser(username: "bob")
            await expectError(status: 404) {
                _ = try await store.selectBranch(chatID: chat.id, userID: bob.id, messageID: first.id)
            }

            // Editing the first user message starts a second root.
            let edited = try await add(nil, .user, "Tell me a story")
            let roots = try await store.messageTree(chatID: chat.id).branch(endingAt: edited.id)
            #expect(roots.map(\.id) == [edited.id])
            #expect(roots[0].siblingIDs == [question.id, edited.id])
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aStreamingReplyIsUpdatedUntilItEnds(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let chat = try await store.createChat(ownerID: alice.id, title: "Streaming")
            let question = try await store.addMessage(
                NewMessage(chatID: chat.id, parentID: nil, authorID: alice.id, role: .user, content: "Count"))
            let reply = try await store.addMessage(
                NewMessage(
                    chatID: chat.id, parentID: question.id, authorID: nil, role: .assistant, content: "",
                    status: .streaming))
            #expect(reply.status == .streaming)

            try await store.updateMessage(id: reply.id, content: "One, two", status: .streaming)
            var stored = try await store.message(id: reply.id, chatID: chat.id)
            #expect(stored.content == "One, two")
            #expect(stored.status == .streaming)
            #expect(stored.usage == nil)

            try await store.updateMessage(
                id: reply.id, content: "One, two, th", status: .error, error: "upstream went away")
            stored = try await store.message(id: reply.id, chatID: chat.id)
            #expect(stored.status == .error)
            #expect(stored.error == "upstream went away")

            let usage = TokenUsage(promptTokens: 5, completionTokens: 7)
            try await store.updateMessage(
                id: reply.id, content: "One, two, three.", status: .complete, usage: usage, latencyMs: 250,
                model: "smollm2",
                provider: "local")
            stored = try await store.message(id: reply.id, chatID: chat.id)
            #expect(stored.content == "One, two, three.")
            #expect(stored.status == .complete)
            #expect(stored.error == nil)
            #expect(stored.usage == usage)
            #expect(stored.usage?.totalTokens == 12)
            #expect(stored.latencyMs == 250)
            #expect(stored.model == "smollm2")
            #expect(stored.provider == "local")

            // A later partial update keeps what the final one recorded.
            try await store.updateMessage(id: reply.id, content: "One, two, three.", status: .partial)
            stored = try await store.message(id: reply.id, chatID: chat.id)
            #expect(stored.status == .partial)
            #expect(stored.usage == usage)
            #expect(stored.model == "smollm2")
        }
    }

    @Test(arguments: TestBackend.allCases)
    func repliesLeftStreamingByAStoppedServerBecomePartial(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let chat = try await store.createChat(ownerID: alice.id, title: "Interrupted")
            let reply = try await store.addMessage(
                NewMessage(
                    chatID: chat.id, parentID: nil, authorID: nil, role: .assistant, content: "Half", status: .streaming
                ))
            try await store.closeInterruptedReplies()
            let stored = try await store.message(id: reply.id, chatID: chat.id)
            // PostgreSQL leaves replies alone that other replicas may still be streaming.
            #expect(stored.status == (backend == .sqlite ? .partial : .streaming))
            #expect(stored.content == "Half")
        }
    }
}
