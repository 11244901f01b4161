import Foundation
import ParleyCore
import ParleyServer
import Testing

/// Two users, A and B. A makes one of everything; B then calls every operation of the native API
/// with A's ids. B must get 404 for all of A's things (as if they did not exist), 403 for every admin
/// operation, and lists and searches of their own that hold nothing of A's. The operations come from the
/// served OpenAPI document, so a new route that this walk does not cover fails the test.
@Suite("Isolation: user B reaches nothing of user A's, and no admin route")
struct IsolationTests {
    enum Expect {
        /// A's thing, addressed by B: 404.
        case notFound
        /// Admin only: 403.
        case forbidden
        /// B's own scope: a success whose body must not mention A's things.
        case ownOnly
        /// Anyone's (the document, the session probe, signing in or out, shared registry lists).
        case open
    }

    struct Call {
        var method: String
        var path: String
        var body: JSONValue?
        var expect: Expect
    }

    @Test func userBGets404ForEverythingOfUserAAnd403ForAdminRoutes() async throws {
        try await withLocalAuth { admin, _, _ in
            let (a, aID) = try await makeUser("alice", admin: admin)
            let (b, bID) = try await makeUser("bob", admin: admin)
            _ = try await a.patch("/api/v1/me", json: ["record_instructions": true])

            // A's things, each with a word no one else uses.
            let chat = try #require(
                try await a.post("/api/v1/chats", json: ["title": "zanzibar plans", "settings": ["model": "openai/mock-gpt"]])
                    .json?["id"]?.stringValue)
            let sent = try await a.post("/api/v1/chats/\(chat)/messages", json: ["content": "zanzibar secret", "stream": false])
            #expect(sent.status == 200)
            let userMessage = try #require(sent.json?["user_message"]?["id"]?.stringValue)
            let reply = try #require(sent.json?["message"]?["id"]?.stringValue)
            let prompt = try #require(
                try await a.post("/api/v1/prompts", json: ["title": "zanzibar prompt", "body": "Hi {{name}}"]).json?["id"]?.stringValue)
            let preset = try #require(
                try await a.post("/api/v1/presets", json: ["model": "openai/mock-gpt", "name": "zanzibar preset", "parameters": ["temperature": 0.5]])
                    .json?["id"]?.stringValue)
            let key = try #require(try await a.post("/api/v1/keys", json: ["name": "zanzibar key"]).json?["key"]?["id"]?.stringValue)
            let record = try #require(try await a.get("/api/v1/records").json?["items"]?.arrayValue?.first?["id"]?.stringValue)
            let provider = try #require(try await admin.get("/api/v1/providers").json?["items"]?.arrayValue?.first?["id"]?.stringValue)
            let collection = try #require(
                try await a.post("/api/v1/collections", json: ["name": "zanzibar docs"]).json?["id"]?.stringValue)
            let knowledgeDocument = try #require(
                try await a.post("/api/v1/collections/\(collection)/documents", json: ["text": "zanzibar notes"])
                    .json?["id"]?.stringValue)
            _ = try await a.put("/api/v1/chats/\(chat)/collections", json: ["collection_ids": [.string(collection)]])
            let recordsBefore = try await a.get("/api/v1/records").json?["items"]?.arrayValue?.count

            let calls: [String: Call] = [
                "getOpenAPIDocument": Call(method: "GET", path: "/openapi.json", expect: .open),
                "getAuthSession": Call(method: "GET", path: "/auth/session", expect: .ownOnly),
                "login": Call(method: "POST", path: "/auth/login", body: ["username": "alice", "password": "wrong-pass"], expect: .open),
                "logout": Call(method: "POST", path: "/auth/logout", body: [:], expect: .open),
                "listKeys": Call(method: "GET", path: "/keys", expect: .ownOnly),
                "createKey": Call(method: "POST", path: "/keys", body: ["name": "k", "user_id": .string(aID)], expect: .forbidden),
                "revokeKey": Call(method: "DELETE", path: "/keys/\(key)", expect: .notFound),
                "getUsage": Call(method: "GET", path: "/usage?key_id=\(key)", expect: .notFound),
                "getMe": Call(method: "GET", path: "/me", expect: .ownOnly),
                "updateMe": Call(method: "PATCH", path: "/me", body: ["display_name": "Bob"], expect: .ownOnly),
                "listUsers": Call(method: "GET", path: "/users", expect: .forbidden),
                "createUser": Call(method: "POST", path: "/users", body: ["username": "eve"], expect: .forbidden),
                "getUser": Call(method: "GET", path: "/users/\(aID)", expect: .forbidden),
                "updateUser": Call(method: "PATCH", path: "/users/\(aID)", body: ["display_name": "x"], expect: .forbidden),
                "deleteUser": Call(method: "DELETE", path: "/users/\(aID)", expect: .forbidden),
                "listChats": Call(method: "GET", path: "/chats", expect: .ownOnly),
                "createChat": Call(method: "POST", path: "/chats", body: ["title": "mine"], expect: .ownOnly),
                "getChat": Call(method: "GET", path: "/chats/\(chat)", expect: .notFound),
                "updateChat": Call(method: "PATCH", path: "/chats/\(chat)", body: ["title": "taken"], expect: .notFound),
                "deleteChat": Call(method: "DELETE", path: "/chats/\(chat)", expect: .notFound),
                "listChatMembers": Call(method: "GET", path: "/chats/\(chat)/members", expect: .notFound),
                "addChatMember": Call(method: "POST", path: "/chats/\(chat)/members", body: ["username": "bob"], expect: .notFound),
                "removeChatMember": Call(method: "DELETE", path: "/chats/\(chat)/members/\(aID)", expect: .notFound),
                "selectChatBranch": Call(method: "POST", path: "/chats/\(chat)/branch", body: ["message_id": .string(reply)], expect: .notFound),
                "exportChat": Call(method: "GET", path: "/chats/\(chat)/export", expect: .notFound),
                "importChats": Call(
                    method: "POST", path: "/chats/import",
                    body: [
                        "format": "parley.chat", "version": 1,
                        "chat": ["title": "imported", "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"],
                        "messages": [["id": "1", "role": "user", "content": "hi", "status": "complete", "created_at": "2026-01-01T00:00:00.000Z"]],
                    ], expect: .ownOnly),
                "searchChats": Call(method: "GET", path: "/search?q=zanzibar", expect: .ownOnly),
                "sendMessage": Call(method: "POST", path: "/chats/\(chat)/messages", body: ["content": "hi", "stream": false], expect: .notFound),
                "getMessage": Call(method: "GET", path: "/chats/\(chat)/messages/\(reply)", expect: .notFound),
                "regenerateMessage": Call(
                    method: "POST", path: "/chats/\(chat)/messages/\(reply)/regenerate", body: ["stream": false], expect: .notFound),
                "editMessage": Call(
                    method: "POST", path: "/chats/\(chat)/messages/\(userMessage)/edit", body: ["content": "x", "stream": false],
                    expect: .notFound),
                "listProviders": Call(method: "GET", path: "/providers", expect: .forbidden),
                "createProvider": Call(method: "POST", path: "/providers", body: ["name": "p", "kind": "ollama", "base_url": "http://127.0.0.1:9"], expect: .forbidden),
                "getProvider": Call(method: "GET", path: "/providers/\(provider)", expect: .forbidden),
                "updateProvider": Call(method: "PATCH", path: "/providers/\(provider)", body: ["enabled": false], expect: .forbidden),
                "deleteProvider": Call(method: "DELETE", path: "/providers/\(provider)", expect: .forbidden),
                "testProvider": Call(method: "POST", path: "/providers/\(provider)/test", body: [:], expect: .forbidden),
                "listModels": Call(method: "GET", path: "/models", expect: .open),
                "updateModel": Call(method: "PUT", path: "/models/openai/mock-gpt", body: ["enabled": false], expect: .forbidden),
                "listAliases": Call(method: "GET", path: "/aliases", expect: .open),
                "setAlias": Call(method: "PUT", path: "/aliases/gpt-4", body: ["target": "openai/mock-gpt"], expect: .forbidden),
                "deleteAlias": Call(method: "DELETE", path: "/aliases/gpt-4", expect: .forbidden),
                "getSettings": Call(method: "GET", path: "/settings", expect: .open),
                "updateSettings": Call(method: "PATCH", path: "/settings", body: ["default_model": "openai/mock-gpt"], expect: .forbidden),
                "listPrompts": Call(method: "GET", path: "/prompts", expect: .ownOnly),
                "createPrompt": Call(method: "POST", path: "/prompts", body: ["title": "t", "body": "b"], expect: .ownOnly),
                "getPrompt": Call(method: "GET", path: "/prompts/\(prompt)", expect: .notFound),
                "updatePrompt": Call(method: "PATCH", path: "/prompts/\(prompt)", body: ["title": "x"], expect: .notFound),
                "deletePrompt": Call(method: "DELETE", path: "/prompts/\(prompt)", expect: .notFound),
                "renderPrompt": Call(method: "POST", path: "/prompts/\(prompt)/render", body: ["variables": ["name": "x"]], expect: .notFound),
                "listPresets": Call(method: "GET", path: "/presets", expect: .ownOnly),
                "createPreset": Call(method: "POST", path: "/presets", body: ["model": "openai/mock-gpt", "name": "b"], expect: .ownOnly),
                "getPreset": Call(method: "GET", path: "/presets/\(preset)", expect: .notFound),
                "updatePreset": Call(method: "PATCH", path: "/presets/\(preset)", body: ["name": "x"], expect: .notFound),
                "deletePreset": Call(method: "DELETE", path: "/presets/\(preset)", expect: .notFound),
                "listRecords": Call(method: "GET", path: "/records", expect: .ownOnly),
                "deleteRecords": Call(method: "DELETE", path: "/records", expect: .ownOnly),
                "deleteRecord": Call(method: "DELETE", path: "/records/\(record)", expect: .notFound),
                "listCollections": Call(method: "GET", path: "/collections", expect: .ownOnly),
                "createCollection": Call(method: "POST", path: "/collections", body: ["name": "mine"], expect: .ownOnly),
                "getCollection": Call(method: "GET", path: "/collections/\(collection)", expect: .notFound),
                "updateCollection": Call(
                    method: "PATCH", path: "/collections/\(collection)", body: ["shared": true], expect: .notFound),
                "deleteCollection": Call(method: "DELETE", path: "/collections/\(collection)", expect: .notFound),
                "listDocuments": Call(method: "GET", path: "/collections/\(collection)/documents", expect: .notFound),
                "addDocument": Call(
                    method: "POST", path: "/collections/\(collection)/documents", body: ["text": "x"], expect: .notFound),
                "getDocument": Call(
                    method: "GET", path: "/collections/\(collection)/documents/\(knowledgeDocument)", expect: .notFound),
                "deleteDocument": Call(
                    method: "DELETE", path: "/collections/\(collection)/documents/\(knowledgeDocument)", expect: .notFound),
                "searchCollection": Call(
                    method: "POST", path: "/collections/\(collection)/search", body: ["query": "zanzibar"],
                    expect: .notFound),
                "getChatCollections": Call(method: "GET", path: "/chats/\(chat)/collections", expect: .notFound),
                "setChatCollections": Call(
                    method: "PUT", path: "/chats/\(chat)/collections", body: ["collection_ids": []], expect: .notFound),
            ]

            let document = try #require(try await b.get("/api/v1/openapi.json").json?["paths"]?.objectValue)
            let documented = Set(document.values.flatMap { item in
                (item.objectValue ?? [:]).values.compactMap { $0["operationId"]?.stringValue }
            })
            #expect(Set(calls.keys) == documented, "every operation of the document must be walked here")

            for (operation, call) in calls.sorted(by: { $0.key < $1.key }) {
                let path = "/api/v1" + call.path
                let answer: ParleyClient.Reply
                switch call.method {
                case "GET": answer = try await b.get(path)
                case "POST": answer = try await b.post(path, json: call.body ?? [:])
                case "PATCH": answer = try await b.patch(path, json: call.body ?? [:])
                case "PUT": answer = try await b.put(path, json: call.body ?? [:])
                default: answer = try await b.delete(path)
                }
                switch call.expect {
                case .notFound:
                    #expect(answer.status == 404, "\(operation): \(answer.status) \(answer.text)")
                case .forbidden:
                    #expect(answer.status == 403, "\(operation): \(answer.status) \(answer.text)")
                case .ownOnly:
                    #expect((200..<300).contains(answer.status), "\(operation): \(answer.status) \(answer.text)")
                    #expect(!answer.text.contains("zanzibar"), "\(operation) showed A's things: \(answer.text)")
                    #expect(!answer.text.contains(aID), "\(operation) named A: \(answer.text)")
                case .open:
                    #expect(answer.status < 500, "\(operation): \(answer.status) \(answer.text)")
                    #expect(!answer.text.contains("zanzibar"), "\(operation) showed A's things")
                }
            }
            // Admin-only listings and other users' usage, by query parameter.
            #expect(try await b.get("/api/v1/records?all=true").status == 403)
            #expect(try await b.get("/api/v1/keys?user_id=\(aID)").status == 403)
            #expect(try await b.get("/api/v1/usage?user_id=\(aID)").status == 403)
            #expect(try await b.get("/api/v1/chats?archived=true").json?["items"]?.arrayValue?.isEmpty == true)

            // Nothing of A's changed.
            #expect(try await a.get("/api/v1/chats/\(chat)").json?["chat"]?["title"] == "zanzibar plans")
            #expect(try await a.get("/api/v1/prompts/\(prompt)").status == 200)
            #expect(try await a.get("/api/v1/presets/\(preset)").status == 200)
            #expect(try await a.get("/api/v1/collections/\(collection)/documents/\(knowledgeDocument)").status == 200)
            // B's own chat cannot borrow A's collection either.
            let own = try #require(try await b.post("/api/v1/chats", json: ["title": "b"]).json?["id"]?.stringValue)
            let borrowed = try await b.put("/api/v1/chats/\(own)/collections", json: ["collection_ids": [.string(collection)]])
            #expect([400, 404, 422].contains(borrowed.status), "\(borrowed.status) \(borrowed.text)")
            #expect(try await a.get("/api/v1/records").json?["items"]?.arrayValue?.count ?? 0 >= recordsBefore ?? 1)
            #expect(try await a.get("/api/v1/keys").json?["data"]?.arrayValue?.contains { $0["id"]?.stringValue == key && $0["revoked_at"] == nil } == true)
            #expect(!bID.isEmpty)

            // What A shares, B may read but not change.
            let shared = try #require(
                try await a.post("/api/v1/prompts", json: ["title": "team prompt", "body": "x", "shared": true]).json?["id"]?.stringValue)
            #expect(try await b.get("/api/v1/prompts/\(shared)").status == 200)
            #expect(try await b.patch("/api/v1/prompts/\(shared)", json: ["title": "mine now"]).status == 403)
            #expect(try await a.post("/api/v1/chats/\(chat)/members", json: ["username": "bob"]).status < 300)
            #expect(try await b.get("/api/v1/chats/\(chat)").status == 200)
        }
    }
}
