import Hummingbird
import Logging
import ParleyCore

/// Maps every error to its surface's envelope, in one place. Typed errors keep their status and
/// message; anything else becomes an opaque 500 whose details go to the log only.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let surface = ErrorSurface(path: request.uri.path)
            return surface.response(for: Self.parleyError(for: error, request: request, logger: context.logger))
        }
    }

    static func parleyError(for error: any Error, request: Request, logger: Logger) -> ParleyError {
        if let error = error as? ParleyError {
            if error.status >= 500 {
                logger.warning("Request failed", metadata: ["parley.error": .string(error.description)])
            }
            return error
        }
        if let error = error as? HTTPError {
            switch error.status {
            case .notFound:
                return .notFound("No route for \(request.method.rawValue) \(request.uri.path).")
            case .methodNotAllowed:
                return .badRequest("\(request.method.rawValue) is not allowed on \(request.uri.path).")
            case .contentTooLarge:
                return .badRequest("The request body is too large.")
            default:
                if error.status.code < 500 {
                    return .badRequest(error.body ?? error.status.reasonPhrase)
                }
            }
        }
        logger.error("Unexpected error", metadata: ["parley.error": .string("\(error)")])
        return .internal("The server failed to handle the request.")
    }
}
