import Foundation
import Hummingbird
import ParleyCore
import ParleyStorage

/// `/api/v1/keys`: API keys, made by users for themselves (admins for anyone) and shown once; and
/// `/api/v1/usage`: requests and tokens per day, of oneself, one's keys, or (admins) anyone.
struct KeysController {
    let store: Store
    let authenticator: Authenticator
    let maxBodySize: Int

    func addRoutes(to group: RouterGroup<ParleyRequestContext>) {
        group.get("keys", use: list)
        group.post("keys", use: create)
        group.delete("keys/:id", use: revoke)
        group.get("usage", use: usage)
    }

    struct KeyList: Encodable {
        var data: [APIKeyRecord]
    }

    struct CreatedKey: Encodable {
        var key: APIKeyRecord
        var secret: String
    }

    struct UsageList: Encodable {
        var subject: String
        var data: [UsageDay]
    }

    /// The user whose keys a request is about: oneself, or (admins) the one named by `user_id`.
    private func owner(_ context: ParleyRequestContext, named: String?) async throws -> UserRecord {
        let user = try context.requireUser()
        guard let named, named != user.id else { return user }
        _ = try context.requireAdmin()
        return try await store.user(id: named)
    }

    @Sendable func list(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        if try APIRequest.bool(request, "all") == true {
            _ = try context.requireAdmin()
            return try JSONResponse.make(KeyList(data: try await store.apiKeys(userID: nil)))
        }
        let owner = try await owner(context, named: APIRequest.string(request, "user_id"))
        return try JSONResponse.make(KeyList(data: try await store.apiKeys(userID: owner.id)))
    }

    @Sendable func create(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        var request = request
        let body = try await APIRequest.object(
            &request, limit: maxBodySize,
            allowed: ["name", "scopes", "models", "expires_at", "requests_per_minute", "daily_tokens", "user_id"])
        let caller = try context.requireUser()
        let owner = try await owner(context, named: try body.string("user_id"))
        let scopes = try (body.strings("scopes") ?? []).map { name in
            guard let scope = APIKeyScope(rawValue: name) else {
                throw body.fail("scopes", "'\(name)' is not a scope (chat, embeddings, admin)")
            }
            return scope
        }
        if scopes.contains(.admin), owner.role != .admin {
            throw ParleyError.unprocessable("only an admin's key can have the admin scope", param: "scopes")
        }
        // A key can do no more than the key that made it.
        if let parent = context.apiKey, !parent.scopes.isEmpty {
            let widened = scopes.isEmpty || scopes.contains { !parent.scopes.contains($0) }
            if widened { throw ParleyError.forbidden("a key cannot make a key with scopes it lacks itself") }
        }
        var expires: Timestamp?
        if let text = try body.string("expires_at") {
            guard let date = Timestamp.parse(text) else { throw body.fail("expires_at", "expected an ISO 8601 time") }
            expires = Timestamp(milliseconds: Int64(date.timeIntervalSince1970 * 1000))
        }
        let (key, secret) = try await store.createAPIKey(
            userID: owner.id,
            NewAPIKey(
                name: try body.requiredString("name"), scopes: scopes, models: try body.strings("models") ?? [],
                requestsPerMinute: try body.integer("requests_per_minute", in: 1...1_000_000_000),
                dailyTokens: try body.integer("daily_tokens", in: 1...1_000_000_000_000), expiresAt: expires))
        try await InstructionLog(store: store).record(
            caller, action: "key.create",
            detail: ["key_id": .string(key.id), "owner": .string(owner.username), "name": .string(key.name)],
            outcome: "ok", always: caller.role == .admin)
        return try JSONResponse.make(CreatedKey(key: key, secret: secret), status: .created)
    }

    @Sendable func revoke(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try APIRequest.id(context)
        // Admins may revoke anyone's key; others only their own (404 for anyone else's).
        let key = try await store.revokeAPIKey(id: id, userID: user.role == .admin ? nil : user.id)
        authenticator.forgetCached()
        try await InstructionLog(store: store).record(
            user, action: "key.revoke", detail: ["key_id": .string(key.id), "name": .string(key.name)], outcome: "ok",
            always: user.role == .admin)
        return Response(status: .noContent)
    }

    @Sendable func usage(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let days = try APIRequest.int(request, "days") ?? 30
        guard (1...366).contains(days) else { throw ParleyError.badRequest("days: 1 to 366", param: "days") }
        let subject: String
        if let keyID = APIRequest.string(request, "key_id") {
            let key = try await store.apiKey(id: keyID, userID: user.role == .admin ? nil : user.id)
            subject = UsageMeter.subject(key: key.id)
        } else {
            subject = UsageMeter.subject(user: try await owner(context, named: APIRequest.string(request, "user_id")).id)
        }
        return try JSONResponse.make(UsageList(subject: subject, data: try await store.usage(subject: subject, days: days)))
    }
}
