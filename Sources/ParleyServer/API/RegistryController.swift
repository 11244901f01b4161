import Foundation
import Hummingbird
import ParleyCore
import ParleyProviders
import ParleyStorage

/// `/api/v1/providers`, `/api/v1/models`, `/api/v1/aliases`, `/api/v1/settings`: the registry behind the
/// router. Changes take effect at once; provider API keys are write-only.
struct RegistryController {
    let store: Store
    let registry: ProviderRegistry
    let maxBodySize: Int
    var router: ModelRouter { registry.router }

    static let providerFields: Set<String> = [
        "name", "kind", "base_url", "api_key", "api_version", "deployments", "options", "enabled",
    ]

    func addRoutes(to group: RouterGroup<ParleyRequestContext>) {
        group.get("providers", use: listProviders)
        group.post("providers", use: createProvider)
        group.get("providers/:id", use: getProvider)
        group.patch("providers/:id", use: updateProvider)
        group.delete("providers/:id", use: deleteProvider)
        group.post("providers/:id/test", use: testProvider)
        group.get("models", use: listModels)
        group.put("models/:provider/:name", use: updateModel)
        group.get("aliases", use: listAliases)
        group.put("aliases/:alias", use: setAlias)
        group.delete("aliases/:alias", use: deleteAlias)
        group.get("settings", use: getSettings)
        group.patch("settings", use: updateSettings)
    }

    @Sendable func listProviders(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        return try JSONResponse.make(Page(items: try await store.providers(), nextCursor: nil))
    }

    @Sendable func getProvider(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        return try JSONResponse.make(try await store.provider(id: try APIRequest.id(context)))
    }

    @Sendable func createProvider(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let admin = try context.requireAdmin()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: Self.providerFields)
        let provider = try await store.createProvider(try Self.draft(body))
        try await registry.reload()
        try await record(admin, "provider.create", provider)
        return try JSONResponse.make(provider, status: .created)
    }

    @Sendable func updateProvider(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let admin = try context.requireAdmin()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: Self.providerFields)
        let provider = try await store.updateProvider(id: try APIRequest.id(context), try Self.draft(body))
        try await registry.reload()
        try await record(admin, "provider.update", provider)
        return try JSONResponse.make(provider)
    }

    @Sendable func deleteProvider(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let admin = try context.requireAdmin()
        let provider = try await store.provider(id: try APIRequest.id(context))
        try await store.deleteProvider(id: provider.id)
        try await registry.reload()
        try await record(admin, "provider.delete", provider)
        return Response(status: .noContent)
    }

    struct ConnectionTest: Encodable {
        var ok: Bool
        var models: [String]
        var error: String?
    }

    /// Asks the provider for its models, as the router would.
    @Sendable func testProvider(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let record = try await store.provider(id: try APIRequest.id(context))
        let provider = try ProviderFactory.make(
            try ProviderRegistry.configuration(record), configuration: registry.configuration, client: registry.client,
            logger: context.logger)
        do {
            let models = try await provider.listModels()
            return try JSONResponse.make(ConnectionTest(ok: true, models: models.map(\.name), error: nil))
        } catch {
            let message = (error as? ParleyError)?.message ?? "the provider could not be reached"
            return try JSONResponse.make(ConnectionTest(ok: false, models: [], error: message))
        }
    }

    /// A model as the registry and the router see it.
    struct ModelView: Encodable {
        var id: String
        var provider: String
        var name: String
        var displayName: String?
        var enabled: Bool
        /// Whether its provider answered the last time it was asked.
        var available: Bool
        var aliases: [String]
        var isDefault: Bool
        /// `chat`, `embeddings`, `tools`, `vision`: pickers offer only models that chat.
        var capabilities: [String]

        enum CodingKeys: String, CodingKey {
            case id, provider, name, enabled, available, aliases, capabilities
            case displayName = "display_name"
            case isDefault = "is_default"
        }
    }

    /// Every model of every provider, grouped by provider, reachable or not, with registry settings.
    @Sendable func listModels(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        _ = try context.requireUser()
        _ = await router.listModels()
        let entries = Dictionary(
            try await store.modelEntries().map { ("\($0.provider)/\($0.name)", $0) }, uniquingKeysWith: { first, _ in first })
        let aliases = router.aliases
        let defaultModel = router.defaultModel
        var views: [ModelView] = []
        var seen = Set<String>()
        for status in router.statuses() {
            for model in status.models {
                let id = model.id
                seen.insert(id)
                let entry = entries[id]
                views.append(
                    ModelView(
                        id: id, provider: status.name, name: model.name, displayName: entry?.displayName,
                        enabled: entry?.enabled ?? true, available: status.isReachable,
                        aliases: aliases.filter { $0.value == id || $0.value == model.name }.map(\.key).sorted(),
                        isDefault: defaultModel == id || defaultModel == model.name,
                        capabilities: model.capabilities.map(\.rawValue).sorted()))
            }
        }
        for (id, entry) in entries.sorted(by: { $0.key < $1.key }) where !seen.contains(id) {
            views.append(
                ModelView(
                    id: id, provider: entry.provider, name: entry.name, displayName: entry.displayName,
                    enabled: entry.enabled, available: false, aliases: [], isDefault: defaultModel == id,
                    capabilities: [ModelCapability.chat.rawValue]))
        }
        return try JSONResponse.make(Page(items: views, nextCursor: nil))
    }

    @Sendable func updateModel(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let admin = try context.requireAdmin()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: ["display_name", "enabled"])
        let provider = try APIRequest.id(context, "provider")
        let name = try APIRequest.id(context, "name")
        let known = try await store.providers().contains { $0.name == provider }
        guard known || router.provider(named: provider) != nil else {
            throw ParleyError.notFound("no provider named '\(provider)'")
        }
        let entry = try await store.upsertModel(
            provider: provider, name: name, displayName: try body.string("display_name"),
            enabled: try body.bool("enabled") ?? true)
        try await registry.reload()
        try await InstructionLog(store: store).record(
            admin, action: "model.update", model: "\(provider)/\(name)",
            detail: .object(["enabled": .bool(entry.enabled)]), outcome: "ok", always: true)
        return try JSONResponse.make(entry)
    }

    @Sendable func listAliases(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        _ = try context.requireUser()
        return try JSONResponse.make(Page(items: try await store.aliases(), nextCursor: nil))
    }

    @Sendable func setAlias(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let admin = try context.requireAdmin()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: ["target"])
        let alias = try APIRequest.id(context, "alias")
        let target = try body.requiredString("target")
        _ = try await router.resolve(target)
        let record = try await store.setAlias(alias, target: target)
        try await registry.reload()
        try await InstructionLog(store: store).record(
            admin, action: "alias.set", model: target, detail: .object(["alias": .string(alias)]), outcome: "ok",
            always: true)
        return try JSONResponse.make(record)
    }

    @Sendable func deleteAlias(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let admin = try context.requireAdmin()
        let alias = try APIRequest.id(context, "alias")
        try await store.deleteAlias(alias)
        try await registry.reload()
        try await InstructionLog(store: store).record(
            admin, action: "alias.delete", detail: .object(["alias": .string(alias)]), outcome: "ok", always: true)
        return Response(status: .noContent)
    }

    struct Settings: Encodable {
        var defaultModel: String?
        enum CodingKeys: String, CodingKey { case defaultModel = "default_model" }

        /// Every setting is shown, `null` when unset, so that clients see what can be set.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(defaultModel, forKey: .defaultModel)
        }
    }

    @Sendable func getSettings(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        _ = try context.requireUser()
        return try JSONResponse.make(Settings(defaultModel: router.defaultModel))
    }

    @Sendable func updateSettings(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let admin = try context.requireAdmin()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: ["default_model"])
        if body.has("default_model") {
            let model = try body.string("default_model")
            if let model { _ = try await router.resolve(model) }
            try await store.setSetting("default_model", model)
            try await registry.reload()
            try await InstructionLog(store: store).record(
                admin, action: "settings.update", model: model, outcome: "ok", always: true)
        }
        return try JSONResponse.make(Settings(defaultModel: router.defaultModel))
    }

    private func record(_ admin: UserRecord, _ action: String, _ provider: ProviderRecord) async throws {
        try await InstructionLog(store: store).record(
            admin, action: action,
            detail: .object(["provider": .string(provider.name), "kind": .string(provider.kind)]), outcome: "ok",
            always: true)
    }

    /// A provider body: every field optional here (the store says what a new provider needs). An
    /// `api_key` of null or "" removes the key.
    static func draft(_ body: FieldReader) throws -> ProviderDraft {
        ProviderDraft(
            name: try body.string("name"), kind: try body.string("kind"),
            baseURL: body.has("base_url") ? .some(try body.string("base_url")) : nil,
            apiKey: body.has("api_key") ? .some(try body.string("api_key")) : nil,
            apiVersion: body.has("api_version") ? .some(try body.string("api_version")) : nil,
            deployments: try body.strings("deployments"), options: try body.dictionary("options"),
            enabled: try body.bool("enabled"))
    }
}
