import Foundation
import ParleyCore
import ParleyTesting
import Testing

/// Exporting chats as Parley JSON and Markdown, importing Parley JSON and ChatGPT exports.
@Suite struct ArchiveAPITests {
    @Test func exportedChatImportsAsTheSameConversation() async throws {
        try await withMockAndParley { _, parley in
            let chat = try #require(
                try await parley.post("/api/v1/chats", json: ["title": "Trip plan", "settings": ["model": "openai/mock-gpt"]])
                    .json?["id"]?.stringValue)
            let sent = try await parley.post(
                "/api/v1/chats/\(chat)/messages", json: ["content": "Where to? [mock:reply=Lisbon]", "stream": false])
            let reply = try #require(sent.json?["message"]?["id"]?.stringValue)
            _ = try await parley.post("/api/v1/chats/\(chat)/messages/\(reply)/regenerate", json: ["stream": false])

            let exported = try await parley.get("/api/v1/chats/\(chat)/export")
            #expect(exported.status == 200)
            #expect(exported.headers["content-disposition"]?.contains("Trip-plan.json") == true)
            #expect(exported.json?["format"]?.stringValue == "parley.chat")
            #expect(!exported.text.contains("sk-test"))

            let imported = try await parley.post("/api/v1/chats/import", raw: exported.body)
            #expect(imported.status == 201)
            let copy = try #require(imported.json?["items"]?.arrayValue?.first?["id"]?.stringValue)
            #expect(copy != chat)
            let original = try await parley.get("/api/v1/chats/\(chat)?view=tree").json?["messages"]?.arrayValue ?? []
            let copied = try await parley.get("/api/v1/chats/\(copy)?view=tree").json?["messages"]?.arrayValue ?? []
            #expect(copied.map { $0["content"] } == original.map { $0["content"] })
            #expect(copied.count == 3)

            let markdown = try await parley.get("/api/v1/chats/\(chat)/export?format=markdown")
            #expect(markdown.headers["content-type"]?.hasPrefix("text/markdown") == true)
            #expect(markdown.text.contains("# Trip plan"))
            #expect(markdown.text.contains("Where to?"))
            #expect(try await parley.get("/api/v1/chats/\(chat)/export?format=pdf").status == 400)
        }
    }

    @Test func chatGPTExportImportsEveryConversation() async throws {
        let conversations = """
            [{"title": "Regex help", "create_time": 1700000000.5, "update_time": 1700000100.0, "current_node": "c",
              "mapping": {
                "root": {"id": "root", "message": null, "parent": null, "children": ["a"]},
                "a": {"id": "a", "parent": "root", "children": ["b"], "message": {"id": "a", "author": {"role": "user"},
                      "create_time": 1700000001.0, "content": {"content_type": "text", "parts": ["Match digits?"]}}},
                "b": {"id": "b", "parent": "a", "children": ["c"], "message": {"id": "b", "author": {"role": "assistant"},
                      "create_time": 1700000002.0, "content": {"content_type": "text", "parts": ["Use \\\\d+"]},
                      "metadata": {"model_slug": "gpt-4o"}}},
                "c": {"id": "c", "parent": "b", "children": [], "message": {"id": "c", "author": {"role": "user"},
                      "create_time": 1700000003.0, "content": {"content_type": "text", "parts": ["Thanks"]}}}
              }}]
            """
        try await withParley { parley in
            let imported = try await parley.post("/api/v1/chats/import", raw: Data(conversations.utf8))
            #expect(imported.status == 201)
            let chat = try #require(imported.json?["items"]?.arrayValue?.first)
            #expect(chat["title"]?.stringValue == "Regex help")
            let id = try #require(chat["id"]?.stringValue)
            let messages = try await parley.get("/api/v1/chats/\(id)").json?["messages"]?.arrayValue ?? []
            #expect(messages.compactMap { $0["content"]?.stringValue } == ["Match digits?", "Use \\d+", "Thanks"])
            #expect(messages[1]["model"]?.stringValue == "gpt-4o")
        }
    }

    @Test func brokenImportsAreRefusedAndLeaveNothing() async throws {
        try await withParley { parley in
            let notJSON = try await parley.post("/api/v1/chats/import", raw: Data("hello".utf8))
            #expect(notJSON.status == 400)
            let wrongFormat = try await parley.post("/api/v1/chats/import", json: ["format": "other", "version": 1])
            #expect(wrongFormat.status == 400)
            let brokenTree = """
                {"format": "parley.chat", "version": 1, "chat": {"title": "x", "created_at": "2026-01-01T00:00:00.000Z",
                 "updated_at": "2026-01-01T00:00:00.000Z"}, "messages": [
                 {"id": "1", "parent_id": "missing", "role": "user", "content": "hi", "status": "complete",
                  "created_at": "2026-01-01T00:00:00.000Z"}]}
                """
            let orphan = try await parley.post("/api/v1/chats/import", raw: Data(brokenTree.utf8))
            #expect(orphan.status == 422)
            #expect(orphan.json?["error"]?["param"]?.stringValue?.contains("parent_id") == true)
            #expect(try await parley.get("/api/v1/chats").json?["items"]?.arrayValue?.isEmpty == true)
        }
    }
}
