import Logging
import ParleyCore
import ServiceLifecycle
import Synchronization

/// Maps the model a client names to a provider and that provider's own model name, and keeps a
/// live catalog of every provider's models.
///
/// Model ids are `provider/model`. A bare model name works when exactly one provider offers it;
/// aliases (`gpt-3.5-turbo` -> `ollama/mistral`) work wherever a model is named. Providers can be
/// added, replaced and removed while Parley runs.
public final class ModelRouter: Sendable {
    /// Where a request goes.
    public struct Route: Sendable {
        public var provider: any ChatProvider
        /// The provider's own model name.
        public var model: String
        /// `provider/model`, the id reported back to clients.
        public var id: String { "\(provider.name)/\(model)" }
    }

    /// What the router knows of one provider.
    public struct ProviderStatus: Sendable {
        public var name: String
        public var isReachable: Bool
        public var lastError: String?
        public var models: [ModelInfo]
    }

    struct Entry: Sendable {
        var provider: any ChatProvider
        /// The last list that was fetched successfully; kept while the provider is down, for routing.
        var models: [ModelInfo]?
        var isReachable = false
        var lastError: String?
        var refreshedAt: ContinuousClock.Instant?
    }

    struct State: Sendable {
        var entries: [String: Entry] = [:]
        /// Provider names in configuration order.
        var order: [String] = []
        var aliases: [String: String] = [:]
        var defaultModel: String?
        /// `provider/model` ids switched off in the registry: not listed, not routed.
        var disabledModels: Set<String> = []
    }

    let state: Mutex<State>
    let logger: Logger
    /// How often the catalog is refreshed in the background.
    public let refreshInterval: Duration
    /// A bare model name that matches nothing triggers a refresh, but not more often than this.
    let missRefreshInterval: Duration = .seconds(5)

    public init(
        providers: [any ChatProvider],
        aliases: [String: String] = [:],
        defaultModel: String? = nil,
        refreshInterval: Duration = .seconds(60),
        logger: Logger
    ) {
        var initial = State()
        for provider in providers {
            initial.entries[provider.name] = Entry(provider: provider)
            initial.order.append(provider.name)
        }
        initial.aliases = aliases
        initial.defaultModel = defaultModel
        self.state = Mutex(initial)
        self.refreshInterval = refreshInterval
        self.logger = logger
    }

    // MARK: - Providers

    public var providerNames: [String] { state.withLock { $0.order } }

    public func provider(named name: String) -> (any ChatProvider)? {
        state.withLock { $0.entries[name]?.provider }
    }

    /// Adds a provider, or replaces the one of the same name; takes effect for the next request.
    ///
    /// - Parameter refresh: fetch its models now (otherwise on first use or the next background refresh).
    public func upsert(_ provider: any ChatProvider, refresh: Bool = true) async {
        state.withLock { state in
            if state.entries[provider.name] == nil { state.order.append(provider.name) }
            state.entries[provider.name] = Entry(provider: provider)
        }
        if refresh { await self.refresh(only: [provider.name]) }
    }

    public var disabledModels: Set<String> { state.withLock { $0.disabledModels } }

    /// Switches models (`provider/model` ids) off: they are neither listed nor routed to.
    public func setDisabledModels(_ ids: Set<String>) {
        state.withLock { $0.disabledModels = ids }
    }

    public func removeProvider(named name: String) {
        state.withLock { state in
            state.entries[name] = nil
            state.order.removeAll { $0 == name }
        }
    }

    public func setAliases(_ aliases: [String: String]) {
        state.withLock { $0.aliases = aliases }
    }

    public var aliases: [String: String] { state.withLock { $0.aliases } }

    public var defaultModel: String? { state.withLock { $0.defaultModel } }

    public func setDefaultModel(_ model: String?) {
        state.withLock { $0.defaultModel = model }
    }
}
