import Hummingbird
import Logging
import NIOCore
import ParleyCore
import ParleyProviders
import ParleyStorage

/// The request context of every Parley route.
public struct ParleyRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (for trusted proxies and sign-in throttling).
    public let remoteAddress: SocketAddress?
    /// Who is asking, once a middleware has established it.
    public var user: UserRecord?
    /// The API key the request came with, if it came with one.
    public var apiKey: APIKeyRecord?
    /// Counts what the request uses against its user's (and key's) daily budget.
    var usage: UsageAccount?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The signed-in user; 401 where no middleware established one.
    public func requireUser() throws -> UserRecord {
        guard let user else { throw ParleyError.unauthorized("sign in first") }
        return user
    }

    /// The signed-in user, who must be an admin (403 otherwise), through a key that allows admin work.
    public func requireAdmin() throws -> UserRecord {
        let user = try requireUser()
        guard user.role == .admin else { throw ParleyError.forbidden("only admins can do this") }
        try requireScope(.admin)
        return user
    }

    /// 403 when the request's API key lacks `scope` (requests without a key have every scope of their user).
    public func requireScope(_ scope: APIKeyScope) throws {
        guard let apiKey, !apiKey.allows(scope) else { return }
        throw ParleyError.forbidden("this API key lacks the '\(scope.rawValue)' scope")
    }

    /// 403 when the request's API key may not use a model: its allow-list names the route's
    /// `provider/model`, the bare model name, or the name the client asked for.
    public func requireModel(_ route: ModelRouter.Route, requested: String) throws {
        guard let apiKey, !apiKey.models.isEmpty else { return }
        guard !Self.allows(apiKey.models, id: route.id, model: route.model, requested: requested) else { return }
        throw ParleyError.forbidden("this API key may not use the model '\(requested)'")
    }

    /// Whether an allow-list lets a model through (for filtering model lists too).
    func allowsModel(id: String, model: String) -> Bool {
        guard let apiKey, !apiKey.models.isEmpty else { return true }
        return Self.allows(apiKey.models, id: id, model: model, requested: id)
    }

    private static func allows(_ list: [String], id: String, model: String, requested: String) -> Bool {
        list.contains { $0 == id || $0 == model || $0 == requested }
    }
}
