import Foundation
import ParleyCore
import ParleyStorage
import ParleyStorageTesting
import Testing

@Suite("Keys, sessions, usage and secrets in the store")
struct AuthStoreTests {
    @Test(arguments: TestBackend.allCases)
    func apiKeysAreFoundByTheHashOfTheirSecretOnly(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let (key, secret) = try await store.createAPIKey(
                userID: alice.id, NewAPIKey(name: "ci", scopes: [.chat], models: ["openai/gpt-4o"], requestsPerMinute: 10))
            #expect(secret.hasPrefix(Secrets.apiKeyPrefix))
            #expect(secret.hasPrefix(key.prefix))
            #expect(key.scopes == [.chat])
            #expect(key.models == ["openai/gpt-4o"])
            let found = try await store.apiKeyCredential(secretHash: Secrets.hash(secret))
            #expect(found?.key.id == key.id)
            #expect(found?.user.id == alice.id)
            #expect(try await store.apiKeyCredential(secretHash: secret) == nil)
            #expect(try await store.apiKeyCredential(secretHash: Secrets.hash(secret + "x")) == nil)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func keysBelongToTheirOwnerAndRevokingIsFinal(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            let (key, _) = try await store.createAPIKey(userID: alice.id, NewAPIKey(name: "laptop"))
            await expectError(status: 404) { _ = try await store.apiKey(id: key.id, userID: bob.id) }
            await expectError(status: 404) { _ = try await store.revokeAPIKey(id: key.id, userID: bob.id) }
            #expect(try await store.apiKeys(userID: bob.id).isEmpty)
            let revoked = try await store.revokeAPIKey(id: key.id, userID: alice.id)
            #expect(revoked.revokedAt != nil)
            #expect(!revoked.isUsable(at: .now()))
            let again = try await store.revokeAPIKey(id: key.id, userID: nil)
            #expect(again.revokedAt == revoked.revokedAt)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func badKeysAreRefusedNamingTheField(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            await expectError(status: 400, param: "name") { _ = try await store.createAPIKey(userID: alice.id, NewAPIKey(name: "")) }
            await expectError(status: 400, param: "expires_at") {
                _ = try await store.createAPIKey(
                    userID: alice.id, NewAPIKey(name: "old", expiresAt: Timestamp(milliseconds: 1_000)))
            }
            await expectError(status: 404) { _ = try await store.createAPIKey(userID: "nobody", NewAPIKey(name: "x")) }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func deletingAUserRevokesTheirKeysAndEndsTheirSessions(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let (key, secret) = try await store.createAPIKey(userID: alice.id, NewAPIKey(name: "k"))
            let (_, token) = try await store.createSession(userID: alice.id, lifetimeMilliseconds: 60_000)
            #expect(try await store.session(token: token)?.user.id == alice.id)
            try await store.deleteUser(id: alice.id)
            #expect(try await store.session(token: token) == nil)
            #expect(try await store.apiKeyCredential(secretHash: Secrets.hash(secret)) == nil)
            #expect(try await store.apiKey(id: key.id, userID: nil).revokedAt != nil)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func sessionsExpireAndEndOnSignOutOrANewPassword(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let (expired, expiredToken) = try await store.createSession(userID: alice.id, lifetimeMilliseconds: -1)
            #expect(expired.expiresAt < Timestamp.now() || expired.expiresAt == Timestamp.now())
            #expect(try await store.session(token: expiredToken) == nil)
            let (session, token) = try await store.createSession(userID: alice.id, lifetimeMilliseconds: 60_000)
            #expect(try await store.session(token: token)?.session.csrfToken == session.csrfToken)
            try await store.deleteSession(token: token)
            #expect(try await store.session(token: token) == nil)
            let (_, other) = try await store.createSession(userID: alice.id, lifetimeMilliseconds: 60_000)
            _ = try await store.updateUser(id: alice.id, UserChanges(passwordHash: .some("$2b$04$abc")))
            #expect(try await store.session(token: other) == nil)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func usageAddsUpPerSubjectAndDay(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.addUsage(subjects: ["user:a", "key:k"], day: "2026-11-21", requests: 1, promptTokens: 10, completionTokens: 5)
            try await store.addUsage(subjects: ["user:a"], day: "2026-11-22", requests: 2, promptTokens: 3, completionTokens: 4)
            try await store.addUsage(subjects: ["user:a"], day: "2026-11-22", requests: 1, promptTokens: 1, completionTokens: 1)
            let days = try await store.usage(subject: "user:a", days: 30)
            #expect(days.map(\.day) == ["2026-11-22", "2026-11-21"])
            #expect(days.first?.requests == 3)
            #expect(days.first?.totalTokens == 9)
            #expect(try await store.tokensUsed(subject: "key:k", day: "2026-11-21") == 15)
            #expect(try await store.tokensUsed(subject: "key:k", day: "2026-11-22") == 0)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func userLimitsAreKeptAndCanBeCleared(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let limited = try await store.updateUser(id: alice.id, UserChanges(requestsPerMinute: .some(30), dailyTokens: .some(5000)))
            #expect(limited.requestsPerMinute == 30)
            #expect(limited.dailyTokens == 5000)
            let cleared = try await store.updateUser(id: alice.id, UserChanges(requestsPerMinute: .some(nil)))
            #expect(cleared.requestsPerMinute == nil)
            #expect(cleared.dailyTokens == 5000)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func providerSecretsAreSealedAndAnotherKeyIsRefused(backend: TestBackend) async throws {
        try await withDatabase(backend) { database in
            let store = try await Store.open(
                url: database.url, dataDirectory: database.directory, secretKey: "first key", logger: TestDatabase.logger)
            let provider = try await store.createProvider(
                ProviderDraft(name: "hosted", kind: "openai-compatible", baseURL: "https://example.com/v1", apiKey: "sk-abc-123"))
            #expect(try await store.provider(id: provider.id).apiKey == "sk-abc-123")
            await store.close()
            await expectError(status: 500) {
                let wrong = try await Store.open(
                    url: database.url, dataDirectory: database.directory, secretKey: "second key", logger: TestDatabase.logger)
                await wrong.close()
            }
            let again = try await Store.open(
                url: database.url, dataDirectory: database.directory, secretKey: "first key", logger: TestDatabase.logger)
            #expect(try await again.provider(id: provider.id).apiKey == "sk-abc-123")
            await again.close()
        }
    }

    @Test func theKeyFileIsMadeOnceAndReadableByItsOwnerOnly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-key-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let box = try SecretBox.resolve(secretKey: nil, dataDirectory: directory)
        let sealed = try #require(try box.seal("hello"))
        #expect(sealed != "hello")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/secret.key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let reopened = try SecretBox.resolve(secretKey: nil, dataDirectory: directory)
        #expect(try reopened.open(sealed) == "hello")
        #expect(try reopened.open("plain from before") == "plain from before")
        #expect(throws: ParleyError.self) { try SecretBox.resolve(secretKey: "other", dataDirectory: directory).open(sealed) }
    }
}
