import Foundation
import ParleyCore
import ParleyServer
import ParleyTesting
import Testing

/// Chats, prompts, presets, users and records over `/api/v1`.
@Suite struct ChatsAPITests {
    @Test func chatListPagesNewestFirstWithoutGapsOrRepeats() async throws {
        try await withParley { parley in
            var created: [String] = []
            for index in 0..<7 {
                let reply = try await parley.post("/api/v1/chats", json: ["title": .string("chat \(index)")])
                created.append(try #require(reply.json?["id"]?.stringValue))
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/api/v1/chats?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await parley.get(path)
                #expect(page.status == 200)
                seen += page.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                cursor = page.json?["next_cursor"]?.stringValue
            } while cursor != nil
            #expect(seen == created.reversed())
            #expect(try await parley.get("/api/v1/chats?limit=0").status == 400)
            #expect(try await parley.get("/api/v1/chats?cursor=garbage!").status == 400)
        }
    }

    @Test func archivedAndPinnedChatsAreListedApart() async throws {
        try await withParley { parley in
            let a = try #require(try await parley.post("/api/v1/chats", json: ["title": "a"]).json?["id"]?.stringValue)
            let b = try #require(try await parley.post("/api/v1/chats", json: ["title": "b"]).json?["id"]?.stringValue)
            _ = try await parley.patch("/api/v1/chats/\(a)", json: ["archived": true])
            _ = try await parley.patch("/api/v1/chats/\(b)", json: ["pinned": true, "title": "renamed", "tags": ["x"]])
            let active = try await parley.get("/api/v1/chats").json?["items"]?.arrayValue
            #expect(active?.compactMap { $0["id"]?.stringValue } == [b])
            #expect(active?.first?["title"]?.stringValue == "renamed")
            let archived = try await parley.get("/api/v1/chats?archived=true").json?["items"]?.arrayValue
            #expect(archived?.compactMap { $0["id"]?.stringValue } == [a])
            let pinned = try await parley.get("/api/v1/chats?pinned=true").json?["items"]?.arrayValue
            #expect(pinned?.compactMap { $0["id"]?.stringValue } == [b])
            #expect(try await parley.delete("/api/v1/chats/\(a)").status == 204)
            #expect(try await parley.get("/api/v1/chats/\(a)").status == 404)
            #expect(try await parley.patch("/api/v1/chats/\(b)", json: ["title": ""]).status == 400)
        }
    }

    @Test func searchFindsTitlesAndMessagesOfOldChats() async throws {
        try await withMockAndParley { _, parley in
            let chat = try #require(
                try await parley.post("/api/v1/chats", json: ["title": "Kubernetes notes", "settings": ["model": "openai/mock-gpt"]])
                    .json?["id"]?.stringValue)
            _ = try await parley.post(
                "/api/v1/chats/\(chat)/messages", json: ["content": "how do I drain a node [mock:reply=use_kubectl_drain]", "stream": false])
            _ = try await parley.post("/api/v1/chats", json: ["title": "unrelated"])
            let byTitle = try await parley.get("/api/v1/search?q=kuber")
            #expect(byTitle.json?["items"]?.arrayValue?.contains { $0["chat_id"]?.stringValue == chat && $0["message_id"] == nil } == true)
            let byReply = try await parley.get("/api/v1/search?q=kubectl%20drain")
            let hit = byReply.json?["items"]?.arrayValue?.first
            #expect(hit?["chat_id"]?.stringValue == chat)
            #expect(hit?["role"]?.stringValue == "assistant")
            #expect(try await parley.get("/api/v1/search?q=zebra").json?["items"]?.arrayValue?.isEmpty == true)
            #expect(try await parley.get("/api/v1/search?q=%20").status == 400)
        }
    }

    @Test func storedChatsSurviveARestart() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("parley-restart-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let id = try await withParley({ $0.dataDirectory = data }) { parley in
            try #require(try await parley.post("/api/v1/chats", json: ["title": "keep me"]).json?["id"]?.stringValue)
        }
        let title = try await withParley({ $0.dataDirectory = data }) { parley in
            try await parley.get("/api/v1/chats/\(id)").json?["chat"]?["title"]?.stringValue
        }
        #expect(title == "keep me")
        #expect(FileManager.default.fileExists(atPath: data + "/parley.db"))
    }

    @Test func promptsRenderTheirVariables() async throws {
        try await withParley { parley in
            let prompt = try await parley.post(
                "/api/v1/prompts", json: ["title": "Review", "body": "Review this {{language}} code:\n{{ code }}"])
            #expect(prompt.status == 201)
            #expect(prompt.json?["variables"]?.arrayValue?.compactMap(\.stringValue) == ["language", "code"])
            let id = try #require(prompt.json?["id"]?.stringValue)
            let rendered = try await parley.post("/api/v1/prompts/\(id)/render", json: ["variables": ["language": "Swift"]])
            #expect(rendered.json?["text"]?.stringValue == "Review this Swift code:\n{{ code }}")
            #expect(rendered.json?["missing"]?.arrayValue?.compactMap(\.stringValue) == ["code"])
            #expect(try await parley.post("/api/v1/prompts", json: ["title": "x"]).status == 400)
            #expect(try await parley.delete("/api/v1/prompts/\(id)").status == 204)
            #expect(try await parley.get("/api/v1/prompts/\(id)").status == 404)
        }
    }

    @Test func onePresetPerModelIsTheDefault() async throws {
        try await withParley { parley in
            let first = try await parley.post(
                "/api/v1/presets", json: ["model": "m", "name": "A", "is_default": true, "parameters": ["temperature": 0.2]])
            let second = try await parley.post(
                "/api/v1/presets", json: ["model": "m", "name": "B", "is_default": true, "parameters": ["top_p": 0.3]])
            #expect(first.status == 201 && second.status == 201)
            let listed = try await parley.get("/api/v1/presets?model=m").json?["items"]?.arrayValue ?? []
            #expect(listed.filter { $0["is_default"] == .bool(true) }.compactMap { $0["name"]?.stringValue } == ["B"])
            #expect(try await parley.post("/api/v1/presets", json: ["model": "m", "name": "a"]).status == 409)
            let bad = try await parley.post("/api/v1/presets", json: ["model": "m", "name": "C", "parameters": ["temp": 1]])
            #expect(bad.json?["error"]?["param"]?.stringValue == "parameters.temp")
            let id = try #require(first.json?["id"]?.stringValue)
            #expect(try await parley.delete("/api/v1/presets/\(id)").status == 204)
            #expect(try await parley.post("/api/v1/presets", json: ["model": "m", "name": "A"]).status == 201)
        }
    }

    @Test func usersAreUniqueRegardlessOfCase() async throws {
        try await withParley { parley in
            let me = try await parley.get("/api/v1/me")
            #expect(me.json?["role"]?.stringValue == "admin")
            let alice = try await parley.post("/api/v1/users", json: ["username": "Alice"])
            #expect(alice.status == 201)
            let clash = try await parley.post("/api/v1/users", json: ["username": "alice"])
            #expect(clash.status == 409)
            #expect(clash.json?["error"]?["param"]?.stringValue == "username")
            #expect(try await parley.post("/api/v1/users", json: ["username": "bad name"]).status == 400)
            let id = try #require(alice.json?["id"]?.stringValue)
            #expect(try await parley.delete("/api/v1/users/\(id)").status == 204)
            #expect(try await parley.post("/api/v1/users", json: ["username": "alice"]).status == 201)
        }
    }

    @Test func instructionsAreRecordedOnlyWhenSwitchedOn() async throws {
        try await withMockAndParley { _, parley in
            let chat = try #require(
                try await parley.post("/api/v1/chats", json: ["settings": ["model": "openai/mock-gpt"]]).json?["id"]?.stringValue)
            _ = try await parley.post("/api/v1/chats/\(chat)/messages", json: ["content": "unrecorded", "stream": false])
            #expect(try await parley.get("/api/v1/records").json?["items"]?.arrayValue?.isEmpty == true)
            _ = try await parley.patch("/api/v1/me", json: ["record_instructions": true])
            _ = try await parley.post("/api/v1/chats/\(chat)/messages", json: ["content": "recorded", "stream": false])
            let records = try await parley.get("/api/v1/records").json?["items"]?.arrayValue ?? []
            #expect(records.compactMap { $0["action"]?.stringValue } == ["message.send"])
            #expect(records.first?["outcome"]?.stringValue == "complete")
            #expect(records.first?["detail"]?["content"]?.stringValue == "recorded")
            let id = try #require(records.first?["id"]?.stringValue)
            #expect(try await parley.delete("/api/v1/records/\(id)").status == 204)
            #expect(try await parley.get("/api/v1/records").json?["items"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func theAPIRunsOnPostgreSQLToo() async throws {
        let url = try #require(
            ProcessInfo.processInfo.environment["PARLEY_TEST_DATABASE_URL"],
            "PARLEY_TEST_DATABASE_URL is not set: scripts/test.sh starts a PostgreSQL server and sets it")
        try await withParley({ configuration in
            configuration.databaseURL = url
            // The database is shared with other test runs (and the storage tests), as replicas share one.
            configuration.auth.secretKey = "parley-tests-shared-database"
        }) { parley in
            let title = "on postgres \(UUID().uuidString)"
            let chat = try await parley.post("/api/v1/chats", json: ["title": .string(title)])
            #expect(chat.status == 201)
            let id = try #require(chat.json?["id"]?.stringValue)
            #expect(try await parley.get("/api/v1/chats/\(id)").json?["chat"]?["title"]?.stringValue == title)
            #expect(try await parley.delete("/api/v1/chats/\(id)").status == 204)
        }
    }
}
