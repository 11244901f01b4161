import Hummingbird
import ParleyCore
import ParleyStorage

/// Signs each request in (see ``Authenticator``), refuses cookie-authenticated changes without the
/// session's CSRF token, applies the request rate limits of the key and the user, and gives the request
/// its usage account for daily token budgets.
struct AuthMiddleware: RouterMiddleware {
    let authenticator: Authenticator
    let limiter: RateLimiter
    let meter: UsageMeter
    let settings: AuthSettings
    /// Scopes of which a key needs one to use this surface at all (nil: any key).
    let surfaceScopes: [APIKeyScope]?

    func handle(
        _ request: Request, context: ParleyRequestContext, next: (Request, ParleyRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let credentials = try await authenticator.authenticate(request, remote: context.remoteAddress?.ipAddress)
        if let session = credentials.session, !Self.isSafe(request.method) {
            guard let token = request.headers[Authenticator.csrfHeader],
                Authenticator.constantTimeEquals(token, session.csrfToken)
            else {
                throw ParleyError.forbidden("missing or wrong X-CSRF-Token header (see GET /api/v1/auth/session)")
            }
        }
        if let key = credentials.apiKey, let scopes = surfaceScopes, !scopes.contains(where: key.allows) {
            let names = scopes.map(\.rawValue).joined(separator: "' or '")
            throw ParleyError.forbidden("this API key lacks the '\(names)' scope")
        }
        let user = credentials.user
        var subjects: [(subject: String, budget: Int?, who: String)] = []
        if let key = credentials.apiKey {
            let subject = UsageMeter.subject(key: key.id)
            try limiter.admit(subject: subject, perMinute: key.requestsPerMinute, who: "this API key")
            subjects.append((subject, key.dailyTokens, "this API key"))
        }
        let userSubject = UsageMeter.subject(user: user.id)
        try limiter.admit(
            subject: userSubject, perMinute: user.requestsPerMinute ?? settings.requestsPerMinute, who: "your account")
        subjects.append((userSubject, user.dailyTokens ?? settings.dailyTokens, "your account"))

        context.user = user
        context.apiKey = credentials.apiKey
        context.usage = UsageAccount(meter: meter, subjects: subjects)
        return try await next(request, context)
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool {
        method == .get || method == .head || method == .options
    }
}
