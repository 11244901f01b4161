import Hummingbird
import Logging
import ParleyCore
import ParleyStorage

/// The request context of every Parley route.
public struct ParleyRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who is asking, once a middleware has established it.
    public var user: UserRecord?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// The signed-in user; 401 where no middleware established one.
    public func requireUser() throws -> UserRecord {
        guard let user else { throw ParleyError.unauthorized("sign in first") }
        return user
    }

    /// The signed-in user, who must be an admin (403 otherwise).
    public func requireAdmin() throws -> UserRecord {
        let user = try requireUser()
        guard user.role == .admin else { throw ParleyError.forbidden("only admins can do this") }
        return user
    }
}
