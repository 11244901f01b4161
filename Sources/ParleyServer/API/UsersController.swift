import Hummingbird
import ParleyCore
import ParleyStorage

/// `/api/v1/me` (everyone: their own profile and recording switch) and `/api/v1/users` (admins).
struct UsersController {
    let store: Store
    let authenticator: Authenticator
    let bcryptCost: Int
    let maxBodySize: Int

    func addRoutes(to group: RouterGroup<ParleyRequestContext>) {
        group.get("me", use: me)
        group.patch("me", use: updateMe)
        group.get("users", use: list)
        group.post("users", use: create)
        group.get("users/:id", use: get)
        group.patch("users/:id", use: update)
        group.delete("users/:id", use: delete)
    }

    @Sendable func me(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        try JSONResponse.make(try context.requireUser())
    }

    @Sendable func updateMe(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(
            &request, limit: maxBodySize,
            allowed: ["display_name", "profile", "record_instructions", "password", "current_password"])
        var passwordHash: String?? = nil
        if let password = try body.string("password") {
            // Someone at an unattended signed-in browser must not be able to take the account over.
            let current = try body.string("current_password") ?? ""
            let stored = try await store.passwordHash(userID: user.id)
            if stored != nil, try await !Passwords.verify(current, hash: stored) {
                throw ParleyError.forbidden("current_password: wrong password")
            }
            passwordHash = .some(try await Passwords.hash(password, cost: bcryptCost))
        }
        let updated = try await store.updateUser(
            id: user.id,
            UserChanges(
                displayName: try body.string("display_name"), profile: body.value("profile"),
                recordInstructions: try body.bool("record_instructions"), passwordHash: passwordHash))
        authenticator.forgetCached()
        if passwordHash != nil {
            try await InstructionLog(store: store).record(user, action: "user.password", outcome: "ok", always: true)
        }
        return try JSONResponse.make(updated)
    }

    @Sendable func list(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let page = try await store.users(cursor: APIRequest.string(request, "cursor"), limit: try APIRequest.int(request, "limit"))
        return try JSONResponse.make(page)
    }

    @Sendable func create(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let admin = try context.requireAdmin()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: Self.fields)
        var passwordHash: String?
        if let password = try body.string("password") { passwordHash = try await Passwords.hash(password, cost: bcryptCost) }
        var user = try await store.createUser(
            username: try body.requiredString("username"), displayName: try body.string("display_name"),
            role: try Self.role(body) ?? .user, recordInstructions: try body.bool("record_instructions") ?? false,
            profile: body.value("profile") ?? .object([:]), passwordHash: passwordHash)
        if body.has("requests_per_minute") || body.has("daily_tokens") {
            user = try await store.updateUser(id: user.id, try Self.limits(body))
        }
        try await InstructionLog(store: store).record(
            admin, action: "user.create", detail: .object(["username": .string(user.username)]), outcome: "ok",
            always: true)
        return try JSONResponse.make(user, status: .created)
    }

    @Sendable func get(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        return try JSONResponse.make(try await store.user(id: try APIRequest.id(context)))
    }

    @Sendable func update(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let admin = try context.requireAdmin()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: Self.fields)
        let id = try APIRequest.id(context)
        // Demoting oneself could leave nobody able to administer the server (in auth mode none, for good).
        if id == admin.id, try Self.role(body) == .user {
            throw ParleyError.unprocessable("admins cannot take the admin role from themselves", param: "role")
        }
        var changes = try Self.limits(body)
        changes.username = try body.string("username")
        changes.displayName = try body.string("display_name")
        changes.profile = body.value("profile")
        changes.role = try Self.role(body)
        changes.recordInstructions = try body.bool("record_instructions")
        if let password = try body.string("password") {
            changes.passwordHash = .some(try await Passwords.hash(password, cost: bcryptCost))
        }
        let user = try await store.updateUser(id: id, changes)
        authenticator.forgetCached()
        try await InstructionLog(store: store).record(
            admin, action: "user.update", detail: .object(["username": .string(user.username)]), outcome: "ok",
            always: true)
        return try JSONResponse.make(user)
    }

    @Sendable func delete(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let admin = try context.requireAdmin()
        let id = try APIRequest.id(context)
        guard id != admin.id else { throw ParleyError.unprocessable("admins cannot delete themselves") }
        let user = try await store.user(id: id)
        try await store.deleteUser(id: id)
        authenticator.forgetCached()
        try await InstructionLog(store: store).record(
            admin, action: "user.delete", detail: .object(["username": .string(user.username)]), outcome: "ok",
            always: true)
        return Response(status: .noContent)
    }

    static let fields: Set<String> = [
        "username", "display_name", "role", "record_instructions", "profile", "password", "requests_per_minute",
        "daily_tokens",
    ]

    /// A user's own limits; `null` returns a limit to the configured default.
    static func limits(_ body: FieldReader) throws -> UserChanges {
        func limit(_ key: String) throws -> Int?? {
            guard body.has(key) else { return nil }
            if case .null? = body.value(key) { return .some(nil) }
            return .some(try body.integer(key, in: 1...1_000_000_000_000))
        }
        var changes = UserChanges()
        changes.requestsPerMinute = try limit("requests_per_minute")
        changes.dailyTokens = try limit("daily_tokens")
        return changes
    }

    static func role(_ body: FieldReader) throws -> UserRole? {
        guard let text = try body.string("role") else { return nil }
        guard let role = UserRole(rawValue: text) else { throw body.fail("role", "expected admin or user") }
        return role
    }
}
