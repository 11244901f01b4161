import Foundation
import HTTPTypes
import Hummingbird
import ParleyCore
import ParleyStorage

/// `/api/v1/auth`: what the web UI asks first (the mode, who is signed in, the CSRF token), and signing in
/// and out with a password (auth mode `local`). These routes are outside the auth middleware.
struct AuthController {
    let store: Store
    let authenticator: Authenticator
    let throttle: LoginThrottle
    let settings: AuthSettings
    let maxBodySize: Int

    func addRoutes(to group: RouterGroup<ParleyRequestContext>) {
        group.get("auth/session", use: session)
        group.post("auth/login", use: login)
        group.post("auth/logout", use: logout)
    }

    struct SessionBody: Encodable {
        var mode: String
        var user: UserRecord?
        var csrfToken: String?

        enum CodingKeys: String, CodingKey {
            case mode, user
            case csrfToken = "csrf_token"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(mode, forKey: .mode)
            try container.encode(user, forKey: .user)
            try container.encode(csrfToken, forKey: .csrfToken)
        }
    }

    @Sendable func session(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let credentials = try? await authenticator.identify(request, remote: context.remoteAddress?.ipAddress)
        return try JSONResponse.make(
            SessionBody(
                mode: authenticator.mode.rawValue, user: credentials?.user, csrfToken: credentials?.session?.csrfToken))
    }

    @Sendable func login(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        guard authenticator.mode == .local else {
            throw ParleyError.unprocessable("signing in with a password needs auth mode local (this server uses "
                + "'\(authenticator.mode.rawValue)')")
        }
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: ["username", "password"])
        let username = try body.requiredString("username")
        let password = try body.requiredString("password")
        let keys = ["user:" + username.lowercased(), "address:" + (context.remoteAddress?.ipAddress ?? "?")]
        try throttle.check(keys)
        let user = try await store.user(username: username)
        var hash: String?
        if let user { hash = try await store.passwordHash(userID: user.id) }
        guard try await Passwords.verify(password, hash: hash), let user else {
            throttle.recordFailure(keys)
            if let user {
                try await InstructionLog(store: store).record(
                    user, action: "auth.login", detail: ["address": .string(keys[1])], outcome: "failed", always: true)
            }
            context.logger.notice("failed sign-in", metadata: ["parley.username": "\(username)"])
            throw ParleyError.unauthorized("wrong username or password")
        }
        throttle.recordSuccess(username: keys[0])
        let lifetime = Int64(settings.sessionLifetime.components.seconds) * 1000
        let (session, token) = try await store.createSession(userID: user.id, lifetimeMilliseconds: lifetime)
        try await InstructionLog(store: store).record(
            user, action: "auth.login", detail: ["address": .string(keys[1])], outcome: "ok", always: true)
        var response = try JSONResponse.make(SessionBody(mode: "local", user: user, csrfToken: session.csrfToken))
        response.setCookie(
            Cookie(
                name: Authenticator.sessionCookie, value: token, maxAge: Int(lifetime / 1000), path: "/",
                secure: isSecure(request, context: context), httpOnly: true, sameSite: .lax))
        return response
    }

    @Sendable func logout(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        var response = Response(status: .noContent)
        guard let token = request.cookies[Authenticator.sessionCookie]?.value, !token.isEmpty else { return response }
        if let (session, user) = try await store.session(token: token) {
            guard let sent = request.headers[Authenticator.csrfHeader],
                Authenticator.constantTimeEquals(sent, session.csrfToken)
            else {
                throw ParleyError.forbidden("missing or wrong X-CSRF-Token header (see GET /api/v1/auth/session)")
            }
            try await store.deleteSession(token: token)
            authenticator.forgetCached()
            try await InstructionLog(store: store).record(user, action: "auth.logout", outcome: "ok", always: true)
        }
        response.setCookie(
            Cookie(
                name: Authenticator.sessionCookie, value: "", maxAge: 0, path: "/",
                secure: isSecure(request, context: context), httpOnly: true, sameSite: .lax))
        return response
    }

    /// `Secure` cookies when configured so, or when a trusted proxy says the browser came over https.
    private func isSecure(_ request: Request, context: ParleyRequestContext) -> Bool {
        if let secure = settings.secureCookies { return secure }
        guard let remote = context.remoteAddress?.ipAddress,
            settings.trustedProxies.contains(where: { $0.contains(remote) })
        else { return false }
        return request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }
}
