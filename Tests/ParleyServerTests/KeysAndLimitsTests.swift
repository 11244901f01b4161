import Foundation
import ParleyCore
import ParleyServer
import ParleyStorage
import Testing

@Suite("API keys, scopes, model allow-lists, limits and secrets")
struct KeysAndLimitsTests {
    @Test func keysAreShownOnceStoredHashedAndRevokedAtOnce() async throws {
        let data = DataDirectoryBox()
        try await withLocalAuth({ data.path = $0.dataDirectory }) { admin, anonymous, _ in
            let created = try await admin.post("/api/v1/keys", json: ["name": "laptop"])
            #expect(created.status == 201)
            let secret = try #require(created.json?["secret"]?.stringValue)
            #expect(secret.hasPrefix("pk_"))
            let id = try #require(created.json?["key"]?["id"]?.stringValue)
            let listed = try await admin.get("/api/v1/keys")
            #expect(!listed.text.contains(secret))
            #expect(listed.json?["data"]?.arrayValue?.contains { $0["id"]?.stringValue == id } == true)
            let database = try Data(contentsOf: URL(fileURLWithPath: data.path + "/parley.db"))
                + ((try? Data(contentsOf: URL(fileURLWithPath: data.path + "/parley.db-wal"))) ?? Data())
            #expect(database.range(of: Data(secret.utf8)) == nil)

            let client = anonymous.bearer(secret)
            #expect(try await client.get("/v1/models").status == 200)
            #expect(try await anonymous.with(["X-API-Key": secret]).get("/api/v1/me").status == 200)
            #expect(try await admin.delete("/api/v1/keys/\(id)").status == 204)
            let revoked = try await client.get("/v1/models")
            #expect(revoked.status == 401)
            #expect(revoked.errorMessage?.contains("revoked") == true)
            #expect(try await anonymous.bearer("pk_" + String(repeating: "x", count: 43)).get("/v1/models").status == 401)
        }
    }

    @Test func keysExpire() async throws {
        try await withLocalAuth { admin, anonymous, _ in
            let past = try await admin.post("/api/v1/keys", json: ["name": "old", "expires_at": "2020-01-01T00:00:00Z"])
            #expect(past.status == 400)
            // Long enough to be used once even on a busy machine; then wait until it has passed.
            let expiry = Timestamp.now().milliseconds + 5_000
            let created = try await admin.post(
                "/api/v1/keys", json: ["name": "brief", "expires_at": .string(Timestamp(milliseconds: expiry).iso8601)])
            let client = anonymous.bearer(try #require(created.json?["secret"]?.stringValue))
            #expect(try await client.get("/api/v1/me").status == 200)
            try await Task.sleep(for: .milliseconds(max(0, expiry - Timestamp.now().milliseconds) + 200))
            let expired = try await client.get("/api/v1/me")
            #expect(expired.status == 401)
            #expect(expired.errorMessage?.contains("expired") == true)
        }
    }

    @Test func scopesLimitWhatAKeyMayDo() async throws {
        try await withLocalAuth { admin, anonymous, _ in
            let embeddingsOnly = anonymous.bearer(
                try #require(try await admin.post("/api/v1/keys", json: ["name": "e", "scopes": ["embeddings"]]).json?["secret"]?.stringValue))
            #expect(try await embeddingsOnly.post("/v1/embeddings", json: ["model": "openai/mock-gpt", "input": "hi"]).status == 200)
            #expect(try await embeddingsOnly.post("/v1/chat/completions", json: chatBody(model: "openai/mock-gpt", "Hi")).status == 403)
            #expect(try await embeddingsOnly.post("/ollama/api/chat", json: ["model": "ollama/mock-llama:latest", "messages": []]).status == 403)
            #expect(try await embeddingsOnly.get("/api/v1/me").status == 403)

            let chatOnly = anonymous.bearer(
                try #require(try await admin.post("/api/v1/keys", json: ["name": "c", "scopes": ["chat"]]).json?["secret"]?.stringValue))
            #expect(try await chatOnly.get("/api/v1/chats").status == 200)
            let adminRoute = try await chatOnly.get("/api/v1/providers")
            #expect(adminRoute.status == 403)
            #expect(adminRoute.errorMessage?.contains("admin") == true)
            // A narrower key cannot make itself a wider one.
            #expect(try await chatOnly.post("/api/v1/keys", json: ["name": "wider"]).status == 403)

            let (_, userID) = try await makeUser("dave", admin: admin)
            let refused = try await admin.post(
                "/api/v1/keys", json: ["name": "x", "user_id": .string(userID), "scopes": ["admin"]])
            #expect(refused.status == 422)
            #expect(try await admin.post("/api/v1/keys", json: ["name": "x", "scopes": ["root"]]).status == 400)
        }
    }

    @Test func modelAllowListsLimitWhichModelsAKeyReaches() async throws {
        try await withLocalAuth { admin, anonymous, _ in
            let created = try await admin.post("/api/v1/keys", json: ["name": "one-model", "models": ["openai/mock-gpt"]])
            let client = anonymous.bearer(try #require(created.json?["secret"]?.stringValue))
            let models = try await client.get("/v1/models").json?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
            #expect(models == ["openai/mock-gpt"])
            #expect(try await client.post("/v1/chat/completions", json: chatBody(model: "openai/mock-gpt", "Hi")).status == 200)
            let other = try await client.post("/v1/chat/completions", json: chatBody(model: "ollama/mock-llama:latest", "Hi"))
            #expect(other.status == 403)
            #expect(other.errorMessage?.contains("may not use") == true)
            let tags = try await client.get("/ollama/api/tags").json?["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(tags == ["openai/mock-gpt"])
        }
    }

    @Test func rateLimitsAnswer429WithRetryAfterInEachSurfacesShape() async throws {
        try await withLocalAuth { admin, anonymous, _ in
            let created = try await admin.post("/api/v1/keys", json: ["name": "slow", "requests_per_minute": 2])
            let client = anonymous.bearer(try #require(created.json?["secret"]?.stringValue))
            #expect(try await client.get("/v1/models").status == 200)
            #expect(try await client.get("/api/v1/me").status == 200)
            let openAI = try await client.get("/v1/models")
            #expect(openAI.status == 429)
            #expect(openAI.json?["error"]?["type"]?.stringValue != nil)
            #expect(Int(openAI.headers["retry-after"] ?? "") ?? 0 >= 1)
            let ollama = try await client.get("/ollama/api/tags")
            #expect(ollama.status == 429)
            #expect(ollama.json?["error"]?.stringValue?.contains("2 requests a minute") == true)
            #expect(ollama.headers["retry-after"] != nil)
            let native = try await client.get("/api/v1/me")
            #expect(native.status == 429)
            #expect(native.errorCode != nil)
            // Other keys and sessions of the same user are not held back by this key's limit.
            #expect(try await admin.get("/api/v1/me").status == 200)
        }
        // A per-user default from the configuration applies to every credential of the user.
        try await withLocalAuth({ $0.auth.requestsPerMinute = 3 }) { admin, _, _ in
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try await admin.get("/api/v1/me").status) }
            #expect(statuses.last == 429)
        }
    }

    @Test func dailyTokenBudgetsStopFurtherModelCallsAndUsageIsCounted() async throws {
        try await withLocalAuth { admin, anonymous, _ in
            let created = try await admin.post("/api/v1/keys", json: ["name": "budget", "daily_tokens": 5])
            let keyID = try #require(created.json?["key"]?["id"]?.stringValue)
            let client = anonymous.bearer(try #require(created.json?["secret"]?.stringValue))
            let first = try await client.post("/v1/chat/completions", json: chatBody(model: "openai/mock-gpt", "Hello there"))
            #expect(first.status == 200)
            let used = first.json?["usage"]?["total_tokens"]?.doubleValue.map { Int($0) } ?? 0
            #expect(used > 5)
            let second = try await client.post("/v1/chat/completions", json: chatBody(model: "openai/mock-gpt", "Again"))
            #expect(second.status == 429)
            #expect(second.errorMessage?.contains("daily budget") == true)
            let retry = Int(second.headers["retry-after"] ?? "") ?? 0
            #expect((1...86_400).contains(retry))
            // Listing models costs no tokens and is still allowed.
            #expect(try await client.get("/v1/models").status == 200)

            // Counts reach the database within about a second.
            var counted: JSONValue?
            for _ in 0..<30 {
                counted = try await admin.get("/api/v1/usage?key_id=\(keyID)").json?["data"]?.arrayValue?.first
                if counted != nil { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(counted?["requests"] == 1)
            #expect(counted?["total_tokens"]?.doubleValue == Double(used))
        }
    }

    @Test func providerKeysAreEncryptedAtRestAndNeverReturned() async throws {
        let data = DataDirectoryBox()
        try await withLocalAuth({ data.path = $0.dataDirectory }) { admin, _, _ in
            let created = try await admin.post(
                "/api/v1/providers",
                json: ["name": "hosted", "kind": "openai-compatible", "base_url": "http://127.0.0.1:9/v1",
                       "api_key": "sk-very-secret-value-123"])
            #expect(created.status == 201)
            #expect(!created.text.contains("sk-very-secret"))
            #expect(created.json?["has_api_key"] == true)
            let listed = try await admin.get("/api/v1/providers")
            #expect(!listed.text.contains("sk-very-secret"))
            #expect(!listed.text.contains("sk-test"))
            let database = try Data(contentsOf: URL(fileURLWithPath: data.path + "/parley.db"))
                + ((try? Data(contentsOf: URL(fileURLWithPath: data.path + "/parley.db-wal"))) ?? Data())
            #expect(database.range(of: Data("sk-very-secret-value-123".utf8)) == nil)
            #expect(database.range(of: Data("azure-key".utf8)) == nil)
            let attributes = try FileManager.default.attributesOfItem(atPath: data.path + "/secret.key")
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }
}
