import ParleyCore
import ParleyStorage
import ParleyStorageTesting
import Testing

@Suite("Seeding providers from parley.yaml")
struct ProviderSeedingTests {
    @Test(arguments: TestBackend.allCases)
    func theFileAddsAndUpdatesButLeavesRunTimeChangesAlone(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedProviders([
                ProviderDraft(name: "local", kind: "embedded"),
                ProviderDraft(name: "ollama", kind: "ollama", baseURL: "http://localhost:11434"),
                ProviderDraft(
                    name: "openai", kind: "openai-compatible", baseURL: "https://api.openai.com/v1", apiKey: "k1"),
            ])
            var byName = try await providersByName(store)
            #expect(byName.keys.sorted() == ["local", "ollama", "openai"])
            #expect(byName.values.allSatisfy { $0.source == "config" })

            // At run time: ollama is edited, local is deleted, and a provider is added by hand.
            _ = try await store.updateProvider(id: byName["ollama"]!.id, ProviderDraft(baseURL: "http://gpu:11434"))
            try await store.deleteProvider(id: byName["local"]!.id)
            _ = try await store.createProvider(ProviderDraft(name: "manual", kind: "ollama", baseURL: "http://m:11434"))

            // The next start reads a changed file.
            try await store.seedProviders([
                ProviderDraft(name: "local", kind: "embedded"),
                ProviderDraft(name: "ollama", kind: "ollama", baseURL: "http://localhost:11435"),
                ProviderDraft(
                    name: "openai", kind: "openai-compatible", baseURL: "https://proxy.example/v1", apiKey: "k2"),
                ProviderDraft(name: "manual", kind: "ollama", baseURL: "http://file:11434"),
                ProviderDraft(
                    name: "azure", kind: "azure-openai", baseURL: "https://x.openai.azure.com", apiVersion: "2024-10-21"
                ),
            ])
            byName = try await providersByName(store)
            #expect(byName.keys.sorted() == ["azure", "manual", "ollama", "openai"])
            #expect(byName["openai"]?.baseURL == "https://proxy.example/v1")
            #expect(byName["openai"]?.apiKey == "k2")
            #expect(byName["openai"]?.source == "config")
            #expect(byName["ollama"]?.baseURL == "http://gpu:11434")
            #expect(byName["manual"]?.baseURL == "http://m:11434")
            #expect(byName["azure"]?.source == "config")
        }
    }

    @Test(arguments: TestBackend.allCases)
    func anInvalidProviderInTheFileIsReported(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            await expectError(status: 400, param: "base_url") {
                try await store.seedProviders([ProviderDraft(name: "broken", kind: "ollama")])
            }
        }
    }

    private func providersByName(_ store: Store) async throws -> [String: ProviderRecord] {
        Dictionary(uniqueKeysWithValues: try await store.providers().map { ($0.name, $0) })
    }
}
