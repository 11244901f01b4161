import Hummingbird
import ParleyStorage

/// Auth mode `none`: every request acts as the one local user (an admin), made on first use.
struct LocalUserMiddleware: RouterMiddleware {
    let store: Store

    func handle(
        _ request: Request, context: ParleyRequestContext, next: (Request, ParleyRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.user = try await store.localUser()
        return try await next(request, context)
    }
}
