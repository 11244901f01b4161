import ParleyCore
import ParleyStorage
import ParleyStorageTesting
import Testing

@Suite("Models, aliases and settings")
struct RegistryTests {
    @Test(arguments: TestBackend.allCases)
    func modelEntriesAreUpsertedByProviderAndName(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let first = try await store.upsertModel(
                provider: "ollama", name: "mistral", displayName: nil, enabled: true)
            #expect(first.displayName == nil)
            #expect(first.enabled)
            let changed = try await store.upsertModel(
                provider: "ollama", name: "mistral", displayName: "Mistral 7B", enabled: false)
            #expect(changed.id == first.id)
            #expect(changed.displayName == "Mistral 7B")
            #expect(!changed.enabled)
            _ = try await store.upsertModel(provider: "local", name: "smollm2", displayName: nil, enabled: true)
            #expect(
                try await store.modelEntries().map { "\($0.provider)/\($0.name)" } == [
                    "local/smollm2", "ollama/mistral",
                ])
            try await store.deleteModelEntry(provider: "ollama", name: "mistral")
            #expect(try await store.modelEntries().map(\.name) == ["smollm2"])
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aliasesPointAtModelsAndFollowTheFileUntilChanged(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alias = try await store.setAlias("gpt-3.5-turbo", target: "ollama/mistral")
            #expect(alias.target == "ollama/mistral")
            #expect(alias.source == "api")
            await expectError(status: 400, param: "alias") { _ = try await store.setAlias("has space", target: "x") }
            await expectError(status: 400, param: "alias") { _ = try await store.setAlias("", target: "x") }

            try await store.seedAliases(["gpt-3.5-turbo": "local/smollm2", "gpt-4": "openai/gpt-4o"])
            var aliases = try await store.aliases()
            #expect(aliases.map(\.alias) == ["gpt-3.5-turbo", "gpt-4"])
            #expect(aliases.map(\.target) == ["ollama/mistral", "openai/gpt-4o"])

            try await store.seedAliases(["gpt-4": "openai/gpt-4.1"])
            aliases = try await store.aliases()
            #expect(aliases.last?.target == "openai/gpt-4.1")
            #expect(aliases.last?.source == "config")

            try await store.deleteAlias("gpt-4")
            #expect(try await store.aliases().map(\.alias) == ["gpt-3.5-turbo"])
            await expectError(status: 404) { try await store.deleteAlias("gpt-4") }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func settingsAreSetReplacedAndCleared(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            #expect(try await store.setting("default_model") == nil)
            try await store.setSetting("default_model", "smollm2")
            #expect(try await store.setting("default_model") == "smollm2")
            try await store.setSetting("default_model", "ollama/mistral")
            #expect(try await store.setting("default_model") == "ollama/mistral")
            try await store.setSetting("default_model", nil)
            #expect(try await store.setting("default_model") == nil)
        }
    }
}
