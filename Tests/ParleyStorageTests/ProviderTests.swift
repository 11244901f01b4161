import Foundation
import ParleyCore
import ParleyStorage
import ParleyStorageTesting
import Testing

@Suite("Providers")
struct ProviderTests {
    @Test(arguments: TestBackend.allCases)
    func aProviderIsStoredAndItsKeyIsNeverEncoded(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let created = try await store.createProvider(
                ProviderDraft(
                    name: "openai", kind: "openai-compatible", baseURL: "https://api.openai.com/v1",
                    apiKey: "sk-secret-123", deployments: [], options: ["timeout": .number(30)]))
            #expect(created.name == "openai")
            #expect(created.apiKey == "sk-secret-123")
            #expect(created.hasAPIKey)
            #expect(created.source == "api")
            #expect(created.enabled)
            #expect(created.options["timeout"] == .number(30))
            #expect(try await store.providers().map(\.id) == [created.id])

            let json = String(decoding: try JSONEncoder().encode(created), as: UTF8.self)
            #expect(!json.contains("sk-secret-123"))
            #expect(json.contains("\"has_api_key\":true"))
            let decoded = try JSONDecoder().decode(ProviderRecord.self, from: Data(json.utf8))
            #expect(decoded.apiKey == nil)
            #expect(decoded.name == "openai")
        }
    }

    @Test(arguments: TestBackend.allCases)
    func invalidProvidersAreRejectedNamingTheField(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            await expectError(status: 400, param: "name") {
                _ = try await store.createProvider(ProviderDraft(kind: "ollama"))
            }
            await expectError(status: 400, param: "name") {
                _ = try await store.createProvider(ProviderDraft(name: "has space", kind: "embedded"))
            }
            await expectError(status: 400, param: "kind") {
                _ = try await store.createProvider(ProviderDraft(name: "x", kind: "carrier-pigeon"))
            }
            await expectError(status: 400, param: "base_url") {
                _ = try await store.createProvider(ProviderDraft(name: "x", kind: "ollama", baseURL: "localhost:11434"))
            }
            await expectError(status: 400, param: "api_version") {
                _ = try await store.createProvider(
                    ProviderDraft(name: "x", kind: "azure-openai", baseURL: "https://example.openai.azure.com"))
            }
            let embedded = try await store.createProvider(ProviderDraft(name: "local", kind: "embedded"))
            #expect(embedded.baseURL == nil)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func namesAreUniqueUntilTheProviderIsDeleted(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let draft = ProviderDraft(name: "ollama", kind: "ollama", baseURL: "http://localhost:11434")
            let first = try await store.createProvider(draft)
            await expectError(status: 409, param: "name") { _ = try await store.createProvider(draft) }
            let other = try await store.createProvider(ProviderDraft(name: "other", kind: "embedded"))
            await expectError(status: 409, param: "name") {
                _ = try await store.updateProvider(id: other.id, ProviderDraft(name: "ollama"))
            }

            try await store.deleteProvider(id: first.id)
            await expectError(status: 404) { _ = try await store.provider(id: first.id) }
            let second = try await store.createProvider(draft)
            #expect(second.id != first.id)
            #expect(try await store.providers().map(\.name) == ["ollama", "other"])
        }
    }

    @Test(arguments: TestBackend.allCases)
    func updatesChangeOnlyWhatIsGivenAndAnEmptyKeyRemovesIt(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let created = try await store.createProvider(
                ProviderDraft(name: "vllm", kind: "openai-compatible", baseURL: "http://gpu:8000/v1", apiKey: "key"),
                source: "config")
            let disabled = try await store.updateProvider(id: created.id, ProviderDraft(enabled: false))
            #expect(!disabled.enabled)
            #expect(disabled.apiKey == "key")
            #expect(disabled.baseURL == "http://gpu:8000/v1")
            #expect(disabled.source == "api")
            let keyless = try await store.updateProvider(id: created.id, ProviderDraft(apiKey: .some("")))
            #expect(keyless.apiKey == nil)
            #expect(!keyless.hasAPIKey)
            await expectError(status: 400, param: "base_url") {
                _ = try await store.updateProvider(id: created.id, ProviderDraft(baseURL: .some(nil)))
            }
        }
    }
}
