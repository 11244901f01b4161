import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyCore
import ParleyTesting
import Testing

/// Sending messages in stored chats, over `/api/v1`, against the mock upstream.
@Suite struct ChatMessagesAPITests {
    func newChat(_ parley: ParleyClient, model: String = "openai/mock-gpt") async throws -> String {
        let reply = try await parley.post("/api/v1/chats", json: ["settings": ["model": .string(model)]])
        #expect(reply.status == 201)
        return try #require(reply.json?["id"]?.stringValue)
    }

    @Test(arguments: ["openai/mock-gpt", "ollama/mock-llama", "azure/mock-azure"])
    func sentMessageStreamsItsReplyAndStoresIt(model: String) async throws {
        try await withMockAndParley { _, parley in
            let chat = try await newChat(parley, model: model)
            let reply = try await parley.post(
                "/api/v1/chats/\(chat)/messages", json: ["content": "hello [mock:reply=Hi_there_friend]"])
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"] == "text/event-stream")
            let events = ParleyClient.events(reply)
            #expect(events.map(\.name).first == "message")
            #expect(events.last?.name == "done")
            let streamed = events.filter { $0.name == "delta" }.compactMap { $0.data["content"]?.stringValue }.joined()
            #expect(streamed == "Hi there friend")
            let stored = try await parley.get("/api/v1/chats/\(chat)")
            let messages = try #require(stored.json?["messages"]?.arrayValue)
            #expect(messages.count == 2)
            #expect(messages[1]["content"]?.stringValue == "Hi there friend")
            #expect(messages[1]["status"]?.stringValue == "complete")
            #expect(messages[1]["model"]?.stringValue?.hasPrefix(model) == true)
            #expect((messages[1]["usage"]?["completion_tokens"]?.doubleValue ?? 0) > 0)
            #expect(stored.json?["chat"]?["title"]?.stringValue == "hello [mock:reply=Hi_there_friend]")
        }
    }

    @Test func regenerateCreatesSiblingBranch() async throws {
        try await withMockAndParley { _, parley in
            let chat = try await newChat(parley)
            let first = try await parley.post(
                "/api/v1/chats/\(chat)/messages", json: ["content": "q [mock:reply=first]", "stream": false])
            #expect(first.status == 200)
            let firstReply = try #require(first.json?["message"]?["id"]?.stringValue)
            let second = try await parley.post(
                "/api/v1/chats/\(chat)/messages/\(firstReply)/regenerate", json: ["stream": false])
            #expect(second.status == 200)
            let secondReply = try #require(second.json?["message"]?["id"]?.stringValue)
            #expect(second.json?["message"]?["parent_id"] == first.json?["message"]?["parent_id"])

            let branch = try #require(try await parley.get("/api/v1/chats/\(chat)").json?["messages"]?.arrayValue)
            #expect(branch.last?["id"]?.stringValue == secondReply)
            #expect(branch.last?["sibling_ids"]?.arrayValue?.compactMap(\.stringValue) == [firstReply, secondReply])

            let selected = try await parley.post("/api/v1/chats/\(chat)/branch", json: ["message_id": .string(firstReply)])
            #expect(selected.status == 200)
            #expect(selected.json?["chat"]?["active_leaf_id"]?.stringValue == firstReply)
            #expect(selected.json?["messages"]?.arrayValue?.last?["id"]?.stringValue == firstReply)
        }
    }

    @Test func editingAUserMessageStartsANewBranch() async throws {
        try await withMockAndParley { _, parley in
            let chat = try await newChat(parley)
            let first = try await parley.post(
                "/api/v1/chats/\(chat)/messages", json: ["content": "one [mock:reply=A]", "stream": false])
            let userMessage = try #require(first.json?["user_message"]?["id"]?.stringValue)
            let edited = try await parley.post(
                "/api/v1/chats/\(chat)/messages/\(userMessage)/edit", json: ["content": "two [mock:reply=B]", "stream": false])
            #expect(edited.status == 200)
            #expect(edited.json?["message"]?["content"]?.stringValue == "B")
            let branch = try #require(try await parley.get("/api/v1/chats/\(chat)").json?["messages"]?.arrayValue)
            #expect(branch.map { $0["content"]?.stringValue } == ["two [mock:reply=B]", "B"])
            #expect(branch.first?["sibling_ids"]?.arrayValue?.count == 2)
            let tree = try #require(try await parley.get("/api/v1/chats/\(chat)?view=tree").json?["messages"]?.arrayValue)
            #expect(tree.count == 4)

            let assistant = try #require(branch.last?["id"]?.stringValue)
            let refused = try await parley.post(
                "/api/v1/chats/\(chat)/messages/\(assistant)/edit", json: ["content": "x", "stream": false])
            #expect(refused.status == 422)
        }
    }

    @Test func upstreamFailureIsStoredAsAnErrorMessage() async throws {
        try await withMockAndParley { _, parley in
            let chat = try await newChat(parley)
            let streamed = try await parley.post("/api/v1/chats/\(chat)/messages", json: ["content": "[mock:fault=500]"])
            #expect(streamed.status == 200)
            let events = ParleyClient.events(streamed)
            #expect(events.last?.name == "error")
            #expect(events.last?.data["message"]?["status"]?.stringValue == "error")

            let plain = try await parley.post(
                "/api/v1/chats/\(chat)/messages", json: ["content": "[mock:fault=500]", "stream": false])
            #expect(plain.status == 502)
            let tree = try #require(try await parley.get("/api/v1/chats/\(chat)?view=tree").json?["messages"]?.arrayValue)
            #expect(tree.count == 4)
            #expect(tree.filter { $0["role"]?.stringValue == "assistant" }.allSatisfy { $0["status"]?.stringValue == "error" })
            #expect(tree.filter { $0["role"]?.stringValue == "assistant" }.allSatisfy { $0["error"]?.stringValue != nil })
        }
    }

    @Test func streamThatBreaksKeepsWhatArrived() async throws {
        try await withMockAndParley { _, parley in
            let chat = try await newChat(parley, model: "ollama/mock-llama")
            let reply = try await parley.post(
                "/api/v1/chats/\(chat)/messages", json: ["content": "[mock:fault=drop] [mock:tokens=20]"])
            let events = ParleyClient.events(reply)
            #expect(events.last?.name == "error")
            let streamed = events.filter { $0.name == "delta" }.compactMap { $0.data["content"]?.stringValue }.joined()
            let stored = try #require(try await parley.get("/api/v1/chats/\(chat)").json?["messages"]?.arrayValue?.last)
            #expect(stored["status"]?.stringValue == "error")
            #expect(stored["content"]?.stringValue == streamed)
        }
    }

    @Test func clientThatLeavesMidReplyLeavesAPartialMessage() async throws {
        try await withMockAndParley { mock, parley in
            let chat = try await newChat(parley)
            var request = HTTPClientRequest(url: parley.baseURL + "/api/v1/chats/\(chat)/messages")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: JSONValue.object(["content": "[mock:tokens=200] [mock:delay=30]"]).jsonData()))
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let response = try await client.execute(request, timeout: .seconds(30))
                var received = ""
                for try await buffer in response.body {
                    received += String(buffer: buffer)
                    if received.components(separatedBy: "event: delta").count > 5 { break }
                }
            }
            try await client.shutdown()
            var last: JSONValue?
            for _ in 0..<100 {
                last = try await parley.get("/api/v1/chats/\(chat)").json?["messages"]?.arrayValue?.last
                if last?["status"]?.stringValue == "partial" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(last?["status"]?.stringValue == "partial")
            #expect((last?["content"]?.stringValue ?? "").isEmpty == false)
            #expect(mock.recorder.stats.streamsCompleted == 0)
        }
    }

    @Test func unknownModelStoresNothing() async throws {
        try await withMockAndParley { _, parley in
            let chat = try await newChat(parley)
            let reply = try await parley.post(
                "/api/v1/chats/\(chat)/messages", json: ["content": "hi", "model": "nope/none"])
            #expect(reply.status == 404)
            #expect(reply.errorCode == "model_not_found")
            let stored = try await parley.get("/api/v1/chats/\(chat)")
            #expect(stored.json?["messages"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func badBodiesAreRefusedNamingTheField() async throws {
        try await withMockAndParley { _, parley in
            let chat = try await newChat(parley)
            let path = "/api/v1/chats/\(chat)/messages"
            let unknown = try await parley.post(path, json: ["content": "hi", "temprature": 1])
            #expect(unknown.status == 400)
            #expect(unknown.json?["error"]?["param"]?.stringValue == "temprature")
            let wrongType = try await parley.post(path, json: ["content": 5])
            #expect(wrongType.status == 400)
            #expect(wrongType.json?["error"]?["param"]?.stringValue == "content")
            let badParameter = try await parley.post(path, json: ["content": "hi", "parameters": ["temperature": 9]])
            #expect(badParameter.status == 400)
            #expect(badParameter.json?["error"]?["param"]?.stringValue == "parameters.temperature")
            let badParent = try await parley.post(path, json: ["content": "hi", "parent_id": "nope"])
            #expect(badParent.status == 422)
            let malformed = try await parley.post(path, raw: Data("{\"content\": ".utf8))
            #expect(malformed.status == 400)
            let missingChat = try await parley.post("/api/v1/chats/nope/messages", json: ["content": "hi"])
            #expect(missingChat.status == 404)
            let stored = try await parley.get("/api/v1/chats/\(chat)")
            #expect(stored.json?["messages"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func defaultPresetAndChatSettingsReachTheUpstream() async throws {
        try await withMockAndParley { mock, parley in
            let preset = try await parley.post(
                "/api/v1/presets",
                json: [
                    "model": "openai/mock-gpt", "name": "Precise", "is_default": true,
                    "parameters": ["temperature": 0.1, "top_p": 0.5, "system_prompt": "Be brief."],
                ])
            #expect(preset.status == 201)
            let chat = try await parley.post(
                "/api/v1/chats", json: ["settings": ["model": "openai/mock-gpt", "parameters": ["top_p": 0.9]]])
            let id = try #require(chat.json?["id"]?.stringValue)
            _ = try await parley.post(
                "/api/v1/chats/\(id)/messages", json: ["content": "hi", "stream": false, "parameters": ["max_tokens": 7]])
            let sent = try #require(mock.recorder.requests.last { $0.path.hasSuffix("/chat/completions") }?.body)
            #expect(sent["temperature"]?.doubleValue == 0.1)
            #expect(sent["top_p"]?.doubleValue == 0.9)
            #expect(sent["max_tokens"]?.doubleValue == 7)
            #expect(sent["messages"]?.arrayValue?.first?["content"]?.stringValue == "Be brief.")
        }
    }
}

/// Long chats open by windows of their active branch.
@Suite struct BranchWindowAPITests {
    @Test func aLongChatOpensByWindowsOfItsBranch() async throws {
        try await withMockAndParley { _, parley in
            let chat = try #require(
                try await parley.post("/api/v1/chats", json: ["settings": ["model": "openai/mock-gpt"]]).json?["id"]?.stringValue)
            for index in 0..<4 {
                _ = try await parley.post(
                    "/api/v1/chats/\(chat)/messages", json: ["content": .string("turn \(index) [mock:reply=r\(index)]"), "stream": false])
            }
            let full = try #require(try await parley.get("/api/v1/chats/\(chat)").json?["messages"]?.arrayValue)
            #expect(full.count == 8)
            let newest = try await parley.get("/api/v1/chats/\(chat)?limit=3").json
            let window = try #require(newest?["messages"]?.arrayValue)
            #expect(window.map { $0["id"] } == full.suffix(3).map { $0["id"] })
            #expect(newest?["has_more"] == .bool(true))
            #expect(window.map { $0["sibling_ids"] } == full.suffix(3).map { $0["sibling_ids"] })
            let first = try #require(window.first?["id"]?.stringValue)
            let older = try await parley.get("/api/v1/chats/\(chat)?limit=5&before=\(first)").json
            #expect(older?["messages"]?.arrayValue?.map { $0["id"] } == full.prefix(5).map { $0["id"] })
            #expect(older?["has_more"] == .bool(false))
            #expect(try await parley.get("/api/v1/chats/\(chat)?limit=501").status == 400)
            #expect(try await parley.get("/api/v1/chats/\(chat)?limit=2&before=nope").status == 404)
        }
    }
}
