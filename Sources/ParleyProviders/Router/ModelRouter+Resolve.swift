import ParleyCore

extension ModelRouter {
    /// Finds where a model named by a client lives.
    ///
    /// - Throws: `ParleyError.modelNotFound` when nothing offers it, `badRequest` when a bare name is
    ///   offered by several providers.
    public func resolve(_ requested: String) async throws -> Route {
        let name = requested.isEmpty ? (defaultModel ?? "") : requested
        guard !name.isEmpty else {
            throw ParleyError.badRequest("No model was named and no default model is configured.", param: "model")
        }
        let target = state.withLock { $0.aliases[name] } ?? name
        if let route = try lookup(target, requested: requested) { return route }
        // The model may be new upstream: look again once with a fresh catalog.
        let stale = state.withLock { state in
            state.entries.values.contains { entry in
                entry.refreshedAt.map { ContinuousClock.now - $0 > missRefreshInterval } ?? true
            }
        }
        if stale {
            await refresh()
            if let route = try lookup(target, requested: requested) { return route }
        }
        throw ParleyError.modelNotFound(requested)
    }

    private func lookup(_ target: String, requested: String) throws -> Route? {
        let route = try findRoute(target, requested: requested)
        if let route, state.withLock({ $0.disabledModels.contains(route.id) }) { throw ParleyError.modelNotFound(requested) }
        return route
    }

    private func findRoute(_ target: String, requested: String) throws -> Route? {
        try state.withLock { state -> Route? in
            if let slash = target.firstIndex(of: "/") {
                let providerName = String(target[..<slash])
                let model = String(target[target.index(after: slash)...])
                if let entry = state.entries[providerName], !model.isEmpty {
                    // Forward when the provider's list is unknown or holds the model; a reachable
                    // provider that does not list it answers 404 here rather than upstream.
                    if let models = entry.models, entry.isReachable, !models.contains(where: { $0.matches(model) }) {
                        return nil
                    }
                    let listed = entry.models?.first { $0.matches(model) }?.name
                    return Route(provider: entry.provider, model: listed ?? model)
                }
            }
            // A bare name (which may itself contain a slash, as in `meta-llama/Llama-3-8B`).
            var matches: [Route] = []
            for providerName in state.order {
                guard let entry = state.entries[providerName], let models = entry.models else { continue }
                if let model = models.first(where: { $0.matches(target) }) {
                    matches.append(Route(provider: entry.provider, model: model.name))
                }
            }
            if matches.count > 1 {
                let candidates = matches.map(\.id).joined(separator: ", ")
                throw ParleyError.badRequest(
                    "The model name '\(requested)' is offered by several providers; name one of: \(candidates).",
                    param: "model")
            }
            return matches.first
        }
    }
}

extension ModelInfo {
    /// Ollama names `llama3` and `llama3:latest` the same model.
    func matches(_ requested: String) -> Bool {
        name == requested
            || (name.utf8.count == requested.utf8.count + 7 && name.hasSuffix(":latest") && name.hasPrefix(requested))
    }
}
