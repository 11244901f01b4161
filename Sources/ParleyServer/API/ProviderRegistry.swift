import Foundation
import Logging
import ParleyCore
import ParleyProviders
import ParleyStorage
import Synchronization

/// Keeps the router in step with the provider registry in the database: seeded from parley.yaml at
/// start, then changed at run time through `/api/v1/providers` with immediate effect.
final class ProviderRegistry: Sendable {
    let store: Store
    let router: ModelRouter
    let client: UpstreamClient
    let configuration: ParleyConfiguration
    let logger: Logger
    /// The configuration each provider in the router was built from: only a provider whose configuration
    /// changed is built again, so an embedded engine keeps its loaded model and the others their model lists.
    private let built = Mutex<[String: ProviderConfiguration]>([:])

    init(store: Store, router: ModelRouter, client: UpstreamClient, configuration: ParleyConfiguration, logger: Logger) {
        self.store = store
        self.router = router
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// Seeds the registry from the configuration, then builds the router's providers from it.
    func start() async throws {
        try await store.seedProviders(configuration.providers.map(Self.draft))
        try await store.seedAliases(configuration.aliases)
        try await reload()
    }

    /// Brings the router's providers, aliases, default model and disabled models in line with the database.
    func reload() async throws {
        let records = try await store.providers()
        let wanted = Set(records.filter(\.enabled).map(\.name))
        for name in router.providerNames where !wanted.contains(name) {
            router.removeProvider(named: name)
            built.withLock { _ = $0.removeValue(forKey: name) }
        }
        for record in records where record.enabled {
            do {
                let provider = try Self.configuration(record)
                guard built.withLock({ $0[record.name] }) != provider else { continue }
                await router.upsert(
                    try ProviderFactory.make(provider, configuration: configuration, client: client, logger: logger),
                    refresh: false)
                built.withLock { $0[record.name] = provider }
            } catch {
                logger.error("provider cannot be built", metadata: ["parley.provider": "\(record.name)", "error": "\(error)"])
            }
        }
        let aliases = try await store.aliases()
        router.setAliases(Dictionary(aliases.map { ($0.alias, $0.target) }, uniquingKeysWith: { _, last in last }))
        router.setDefaultModel(try await store.setting("default_model") ?? configuration.defaultModel)
        let disabled = try await store.modelEntries().filter { !$0.enabled }.map { "\($0.provider)/\($0.name)" }
        router.setDisabledModels(Set(disabled))
    }

    static func draft(_ provider: ProviderConfiguration) -> ProviderDraft {
        var options: [String: JSONValue] = [:]
        if !provider.headers.isEmpty { options["headers"] = .object(provider.headers.mapValues { .string($0) }) }
        if let directory = provider.modelsDirectory { options["models_dir"] = .string(directory) }
        return ProviderDraft(
            name: provider.name, kind: provider.kind.rawValue, baseURL: .some(provider.baseURL),
            apiKey: .some(provider.apiKey), apiVersion: .some(provider.apiVersion), deployments: provider.deployments,
            options: options, enabled: provider.enabled)
    }

    static func configuration(_ record: ProviderRecord) throws -> ProviderConfiguration {
        guard let kind = ProviderConfiguration.Kind(rawValue: record.kind) else {
            throw ParleyError.badRequest("kind: unknown provider kind '\(record.kind)'", param: "kind")
        }
        let headers = record.options["headers"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        return ProviderConfiguration(
            name: record.name, kind: kind, baseURL: record.baseURL, apiKey: record.apiKey, apiVersion: record.apiVersion,
            deployments: record.deployments, headers: headers, modelsDirectory: record.options["models_dir"]?.stringValue,
            enabled: record.enabled)
    }
}
