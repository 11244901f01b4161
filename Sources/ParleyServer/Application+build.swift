import Foundation
import Hummingbird
import Logging
import NIOCore
import ParleyCore
import ParleyProviders
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

    let (modelRouter, client) = try makeModelRouter(configuration: configuration, logger: logger)

    let router = Router(context: ParleyRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    OpenAIController(router: modelRouter, maxBodySize: configuration.maxBodySize).addRoutes(to: router.group("v1"))
    OllamaController(router: modelRouter, maxBodySize: configuration.maxBodySize).addRoutes(to: router)
    HealthController(router: modelRouter).addRoutes(to: router)

    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "parley"),
        services: [client, ModelCatalogService(router: modelRouter)],
        onServerRunning: onServerRunning,
        logger: logger)
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
    case .none:
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(configuration.host) || configuration.host.hasPrefix("127.")
        guard loopback else {
            throw ConfigurationError(
                source: configuration.configFile ?? "configuration", key: "auth.mode",
                problem: "'none' (no login) is allowed only when listening on loopback, not on \(configuration.host); "
                    + "listen on 127.0.0.1 or choose another auth mode")
        }
    case .local, .trustedHeader:
        throw ConfigurationError(
            source: configuration.configFile ?? "configuration", key: "auth.mode",
            problem: "'\(configuration.authMode.rawValue)' is not available in this version of Parley yet (use none)")
    }
}
