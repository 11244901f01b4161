import Foundation
import ParleyCore
import ParleyStorageTesting
import Testing

@testable import ParleyStorage

@Suite struct ChatGPTImportTests {
    static func fixture() throws -> [ChatArchive] {
        let url = try #require(
            Bundle.module.url(forResource: "chatgpt-conversations", withExtension: "json", subdirectory: "Fixtures"))
        return try ChatArchive.chatGPTConversations(from: Data(contentsOf: url))
    }

    static func branch(_ archive: ChatArchive) -> [String] { archive.activeBranch().map(\.id) }

    @Test func everyConversationWithSomethingToShowBecomesAnArchive() throws {
        let archives = try Self.fixture()

        #expect(archives.map(\.title) == ["Sourdough starter smells like nail polish", "Sum a CSV column"])
        #expect(
            archives.map(\.sourceID) == [
                "6630f5a0-1d2e-8005-b3c4-9f8e7d6c5b4a", "665a4f80-0000-8000-aaaa-000000000002",
            ])
        #expect(archives[0].createdAt.milliseconds == 1_714_550_400_123)
        #expect(archives[0].updatedAt.milliseconds == 1_714_550_612_500)
    }

    @Test func hiddenAndEmptyMessagesLeaveTheTreeAndAnEditedQuestionIsABranch() throws {
        let sourdough = try Self.fixture()[0]
        let byID = Dictionary(uniqueKeysWithValues: sourdough.messages.map { ($0.id, $0) })

        #expect(
            sourdough.messages.map(\.id) == [
                "user-0001", "asst-0001", "user-0002", "asst-0002", "user-0003", "asst-0003",
            ])
        #expect(byID["user-0001"]?.parentID == nil)
        #expect(byID["user-0002"]?.parentID == "asst-0001")
        #expect(byID["user-0003"]?.parentID == "asst-0001")
        #expect(sourdough.activeLeafID == "asst-0003")
        #expect(Self.branch(sourdough) == ["user-0001", "asst-0001", "user-0003", "asst-0003"])
        #expect(byID["asst-0001"]?.model == "gpt-4o")
        #expect(byID["asst-0001"]?.createdAt.milliseconds == 1_714_550_415_250)
        #expect(byID["user-0001"]?.model == nil)
        #expect(
            byID["asst-0001"]?.content.hasPrefix("Not at all! That acetone smell means your starter is **hungry**")
                == true)
    }

    @Test func anUploadedImageBecomesANoteBesideTheText() throws {
        let edited = try #require(try Self.fixture()[0].messages.first { $0.id == "user-0003" })

        #expect(edited.content == "[image]\n\nHow often should I feed it at room temperature? Here is a photo of it.")
        #expect(edited.parts == nil)
    }

    @Test func toolCallsAndOutputAreFoldedIntoTheReplyThatFollows() throws {
        let csv = try Self.fixture()[1]

        #expect(csv.messages.map(\.id) == ["user-0010", "asst-0011"])
        #expect(csv.messages[1].parentID == "user-0010")
        #expect(csv.messages[1].model == "gpt-4")
        #expect(
            csv.messages[1].content == """
                Tool call (python):

                ```python
                import pandas as pd
                df = pd.read_csv('/mnt/data/sales.csv')
                df['total'].sum()
                ```

                Output:

                ```
                1234.5
                ```

                The `total` column sums to **1234.5**.
                """)
    }

    @Test(arguments: ArchiveTestDatabase.available)
    func importedConversationsKeepBranchesAndTheCurrentBranch(database: ArchiveTestDatabase) async throws {
        try await database.withStore { store, user in
            let sourdough = try Self.fixture()[0]

            let chat = try await store.importChat(ownerID: user.id, archive: sourdough)
            let branch = try await store.messageTree(chatID: chat.id).branch(endingAt: chat.activeLeafID)

            #expect(chat.title == "Sourdough starter smells like nail polish")
            #expect(chat.messageCount == 6)
            #expect(chat.createdAt.milliseconds == 1_714_550_400_123)
            #expect(branch.map(\.role) == [.user, .assistant, .user, .assistant])
            #expect(branch[2].content.hasPrefix("[image]\n\nHow often should I feed it at room temperature?"))
            #expect(branch[2].siblingIDs?.count == 2)
            #expect(branch[3].model == "gpt-4o")
        }
    }

    @Test func theCurrentNodeFallsBackToItsNearestShownAncestor() throws {
        let json = Self.conversation(
            current: "hidden",
            nodes: [
                Self.node("q", parent: nil, role: "user", text: "Question"),
                Self.node("a", parent: "q", role: "assistant", text: "Answer"),
                Self.node(
                    "hidden", parent: "a", role: "system", text: "",
                    extra: #", "metadata": {"is_visually_hidden_from_conversation": true}"#),
            ])

        let archive = try #require(try ChatArchive.chatGPTConversations(from: Data(json.utf8)).first)

        #expect(archive.activeLeafID == "a")
        #expect(archive.title == "Imported chat")
    }

    @Test func toolActivityWithNoReplyAfterItStandsAsAReplyOfItsOwn() throws {
        let json = Self.conversation(
            current: "out",
            nodes: [
                Self.node("q", parent: nil, role: "user", text: "Draw a cat"),
                Self.node(
                    "call", parent: "q", role: "assistant", text: "{\\\"prompt\\\": \\\"a cat\\\"}",
                    extra: #", "recipient": "dalle.text2im""#),
                #"""
                "out": {
                    "message": {
                        "author": {"role": "tool", "name": "dalle.text2im"},
                        "content": {
                            "content_type": "multimodal_text",
                            "parts": [{"content_type": "image_asset_pointer", "asset_pointer": "file-service://x"}]
                        }
                    },
                    "parent": "call", "children": []
                }
                """#,
            ])

        let archive = try #require(try ChatArchive.chatGPTConversations(from: Data(json.utf8)).first)

        #expect(archive.messages.map(\.role) == [.user, .assistant])
        #expect(
            archive.messages[1].content == "Tool call (dalle.text2im):\n\n```\n{\"prompt\": \"a cat\"}\n```\n\n[image]")
        #expect(archive.activeLeafID == archive.messages[1].id)
    }

    @Test func aVeryLongConversationIsReadWithoutDeepRecursion() throws {
        let count = 20_000
        let nodes = (0..<count).map { index in
            Self.node(
                "n\(index)", parent: index == 0 ? nil : "n\(index - 1)", role: index % 2 == 0 ? "user" : "assistant",
                text: "Turn \(index)")
        }
        let archive = try #require(
            try ChatArchive.chatGPTConversations(
                from: Data(Self.conversation(current: "n\(count - 1)", nodes: nodes).utf8)
            ).first)

        #expect(archive.messages.count == count)
        #expect(archive.activeBranch().count == count)
        #expect(try archive.validatedInsertionOrder().count == count)
    }

    @Test func aFileThatIsNotAnExportIsRefusedNamingTheField() {
        let object = #expect(throws: ParleyError.self) { try ChatArchive.chatGPTConversations(from: Data("{}".utf8)) }
        let noMapping = #expect(throws: ParleyError.self) {
            try ChatArchive.chatGPTConversations(from: Data(#"[{"title": "x", "mapping": {}}, {"title": "y"}]"#.utf8))
        }
        let badRole = #expect(throws: ParleyError.self) {
            try ChatArchive.chatGPTConversations(
                from: Data(#"[{"mapping": {"n1": {"message": {"author": {"role": 5}}}}}]"#.utf8))
        }

        #expect(object?.message == "expected a JSON array of conversations (ChatGPT's conversations.json)")
        #expect(noMapping?.param == "[1].mapping")
        #expect(noMapping?.message == "[1].mapping: is required")
        #expect(badRole?.param == "[0].mapping.n1.message.author.role")
        #expect(badRole?.status == 400)
    }

    // MARK: - Building conversations

    static func node(_ id: String, parent: String?, role: String, text: String, extra: String = "") -> String {
        let parent = parent.map { "\"\($0)\"" } ?? "null"
        return #"""
            "\#(id)": {
                "message": {
                    "author": {"role": "\#(role)"}, "content": {"content_type": "text", "parts": ["\#(text)"]}\#(extra)
                },
                "parent": \#(parent), "children": []
            }
            """#
    }

    static func conversation(current: String, nodes: [String]) -> String {
        let mapping = nodes.joined(separator: ",")
        return #"""
            [{"title": null, "create_time": 1714550400, "mapping": {\#(mapping)}, "current_node": "\#(current)"}]
            """#
    }
}
