import Foundation
import Logging
import ParleyCore
import ParleyProviders
import ParleyStorage

/// Keeps the router in step with the provider registry in the database: seeded from parley.yaml at
/// start, then changed at run time through `/api/v1/providers` with immediate effect.
struct ProviderRegistry: Sendable {
    let store: Store
    let router: ModelRouter
    let client: UpstreamClient
    let configuration: ParleyConfiguration
    let logger: Logger

    /// Seeds the registry from the configuration, then builds the router's providers from it.
    func start() async throws {
        try await store.seedProviders(configuration.providers.map(Self.draft))
        try await store.seedAliases(configuration.aliases)
        try await reload()
    }

    /// Rebuilds every provider, alias and the default model from the database.
    func reload() async throws {
        let records = try await store.providers()
        let wanted = Set(records.filter(\.enabled).map(\.name))
        for name in router.providerNames where !wanted.contains(name) { router.removeProvider(named: name) }
        for record in records where record.enabled {
            do {
                let provider = try ProviderFactory.make(
                    Self.configuration(record), configuration: configuration, client: client, logger: logger)
                await router.upsert(provider, refresh: false)
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
