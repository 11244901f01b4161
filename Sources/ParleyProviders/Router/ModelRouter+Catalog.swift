import Logging
import ParleyCore
import ServiceLifecycle

extension ModelRouter {
    /// Fetches the model lists of the named providers (all by default), in parallel. A provider
    /// that fails is logged and marked unreachable; its last known list is kept for routing.
    public func refresh(only names: [String]? = nil) async {
        let targets: [(String, any ChatProvider)] = state.withLock { state in
            (names ?? state.order).compactMap { name in state.entries[name].map { (name, $0.provider) } }
        }
        await withTaskGroup(of: RefreshOutcome.self) { group in
            for (name, provider) in targets {
                group.addTask {
                    do {
                        return RefreshOutcome(name: name, models: try await provider.listModels(), error: nil)
                    } catch {
                        return RefreshOutcome(name: name, models: nil, error: "\(error)")
                    }
                }
            }
            for await outcome in group {
                let now = ContinuousClock.now
                state.withLock { state in
                    guard var entry = state.entries[outcome.name] else { return }
                    if let models = outcome.models {
                        entry.models = models
                        entry.isReachable = true
                        entry.lastError = nil
                    } else {
                        entry.isReachable = false
                        entry.lastError = outcome.error
                    }
                    entry.refreshedAt = now
                    state.entries[outcome.name] = entry
                }
                if let error = outcome.error {
                    logger.warning(
                        "Provider is unreachable; its models are left out of the listing",
                        metadata: ["parley.provider": .string(outcome.name), "parley.error": .string(error)])
                }
            }
        }
    }

    /// Every model of every reachable provider, in configuration order.
    public func listModels() async -> [ModelInfo] {
        let needsFirstLoad = state.withLock { state in state.entries.values.contains { $0.refreshedAt == nil } }
        if needsFirstLoad {
            let pending = state.withLock { state in state.order.filter { state.entries[$0]?.refreshedAt == nil } }
            await refresh(only: pending)
        }
        return state.withLock { state in
            state.order.flatMap { name -> [ModelInfo] in
                guard let entry = state.entries[name], entry.isReachable else { return [] }
                return (entry.models ?? []).filter { !state.disabledModels.contains($0.id) }
            }
        }
    }

    /// Each provider's reachability and models, for health checks and the admin views.
    public func statuses() -> [ProviderStatus] {
        state.withLock { state in
            state.order.compactMap { name in
                state.entries[name].map {
                    ProviderStatus(name: name, isReachable: $0.isReachable, lastError: $0.lastError, models: $0.models ?? [])
                }
            }
        }
    }
}

/// One provider's answer to a catalog refresh.
struct RefreshOutcome: Sendable {
    var name: String
    var models: [ModelInfo]?
    var error: String?
}

/// Refreshes the router's catalog in the background for as long as Parley runs.
public struct ModelCatalogService: Service {
    let router: ModelRouter

    public init(router: ModelRouter) {
        self.router = router
    }

    public func run() async throws {
        await router.refresh()
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: router.refreshInterval) }
            } catch {
                return
            }
            await router.refresh()
        }
    }
}
