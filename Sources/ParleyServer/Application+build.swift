import Foundation
import Hummingbird
import Logging
import NIOCore
import ParleyCore
import ParleyKnowledge
import ParleyProviders
import ParleyStorage
import ParleyWebUI
import ServiceLifecycle

/// Builds the Parley application: providers, router and every HTTP surface. `parley serve` and
/// the tests both build it through this function.
///
/// - Parameter onServerRunning: called once the server listens (tests read the port from it).
public func buildApplication(
    configuration: ParleyConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    try checkListeningPolicy(configuration)
    try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)

    let store = try await Store.open(
        url: configuration.databaseURL, dataDirectory: configuration.dataDirectory,
        secretKey: configuration.auth.secretKey, logger: logger)
    // The router starts empty: the registry builds its providers from the database, which the
    // configuration's providers seed.
    let client = UpstreamClient(timeouts: configuration.upstreamTimeouts)
    let modelRouter = ModelRouter(providers: [], refreshInterval: configuration.modelRefreshInterval, logger: logger)
    let registry = ProviderRegistry(
        store: store, router: modelRouter, client: client, configuration: configuration, logger: logger)
    do {
        try await store.closeInterruptedReplies()
        try await AdminBootstrap(configuration: configuration, store: store, logger: logger).run()
        try await registry.start()
    } catch {
        await store.close()
        try? await client.shutdown()
        throw error
    }
    logger.info("storage ready", metadata: ["parley.database": "\(store.backend.rawValue) \(store.location)"])
    let knowledge = KnowledgeBase(
        store: store, settings: configuration.knowledge.settings,
        embedder: configuration.knowledge.embedder(router: modelRouter, dataDirectory: configuration.dataDirectory, logger: logger),
        logger: logger)

    let security = Security(configuration: configuration, store: store, logger: logger)
    let router = Router(context: ParleyRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    OpenAIController(router: modelRouter, maxBodySize: configuration.maxBodySize)
        .addRoutes(to: router.group("v1").add(middleware: security.middleware(scopes: [.chat, .embeddings])))
    OllamaController(router: modelRouter, maxBodySize: configuration.maxBodySize)
        .addRoutes(to: router, auth: security.middleware(scopes: [.chat, .embeddings]))
    HealthController(router: modelRouter).addRoutes(to: router)
    addAPIRoutes(
        to: router.group("api/v1"), store: store, registry: registry, security: security, knowledge: knowledge,
        configuration: configuration)
    WebUIController(
        assets: configuration.webUIDirectory.map { WebAssets.live(folder: $0) } ?? .bundled(),
        frameAncestors: configuration.uiFrameAncestors
    ).addRoutes(to: router)

    return Application(
        router: router,
        server: .loopBoundHTTP1(),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "parley"),
        // The store comes first so that it is shut down last, after the server's streams have been stored.
        services: [store, security.meter, client, ModelCatalogService(router: modelRouter), knowledge],
        onServerRunning: onServerRunning,
        logger: logger)
}

/// The native API, `/api/v1`: its document and sign-in routes answer anyone; the rest need a user.
func addAPIRoutes(
    to group: RouterGroup<ParleyRequestContext>, store: Store, registry: ProviderRegistry, security: Security,
    knowledge: KnowledgeBase,
    configuration: ParleyConfiguration
) {
    let limit = configuration.maxBodySize
    OpenAPIController().addRoutes(to: group)
    AuthController(
        store: store, authenticator: security.authenticator, throttle: security.loginThrottle,
        settings: configuration.auth, maxBodySize: limit
    ).addRoutes(to: group)
    let api = group.group().add(middleware: security.middleware(scopes: [.chat, .admin]))
    UsersController(
        store: store, authenticator: security.authenticator, bcryptCost: configuration.auth.bcryptCost, maxBodySize: limit
    ).addRoutes(to: api)
    KeysController(store: store, authenticator: security.authenticator, maxBodySize: limit).addRoutes(to: api)
    ChatsController(store: store, maxBodySize: limit).addRoutes(to: api)
    MessagesController(store: store, router: registry.router, knowledge: knowledge, maxBodySize: limit).addRoutes(to: api)
    RegistryController(store: store, registry: registry, maxBodySize: limit).addRoutes(to: api)
    PromptsController(store: store, maxBodySize: limit).addRoutes(to: api)
    PresetsController(store: store, maxBodySize: limit).addRoutes(to: api)
    RecordsController(store: store).addRoutes(to: api)
    ArchiveController(store: store, importLimit: max(limit, 64 * 1024 * 1024)).addRoutes(to: api)
    KnowledgeController(store: store, knowledge: knowledge, maxBodySize: limit).addRoutes(to: api)
}

/// The providers of a configuration behind a router, and the HTTP client they share (a `Service`
/// the caller runs, or shuts down with `shutdown()`). `parley serve` and `parley chat` share it.
public func makeModelRouter(configuration: ParleyConfiguration, logger: Logger) throws -> (ModelRouter, UpstreamClient) {
    let client = UpstreamClient(timeouts: configuration.upstreamTimeouts)
    let providers = try configuration.providers.filter(\.enabled).map {
        try ProviderFactory.make($0, configuration: configuration, client: client, logger: logger)
    }
    let router = ModelRouter(
        providers: providers, aliases: configuration.aliases, defaultModel: configuration.defaultModel,
        refreshInterval: configuration.modelRefreshInterval, logger: logger)
    return (router, client)
}

/// Auth mode `none` has no login at all, so it is only allowed where nobody else can connect.
func checkListeningPolicy(_ configuration: ParleyConfiguration) throws {
    switch configuration.authMode {
    case .local, .trustedHeader:
        return
    case .none:
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(configuration.host) || configuration.host.hasPrefix("127.")
        guard loopback else {
            throw ConfigurationError(
                source: configuration.configFile ?? "configuration", key: "auth.mode",
                problem: "'none' (no login) is allowed only when listening on loopback, not on \(configuration.host); "
                    + "listen on 127.0.0.1 or choose another auth mode")
        }
    }
}
