import Hummingbird
import ParleyCore
import ParleyStorage

/// `/api/v1/me` (everyone: their own profile and recording switch) and `/api/v1/users` (admins).
struct UsersController {
    let store: Store
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
            &request, limit: maxBodySize, allowed: ["display_name", "profile", "record_instructions"])
        let updated = try await store.updateUser(
            id: user.id,
            UserChanges(
                displayName: try body.string("display_name"), profile: body.value("profile"),
                recordInstructions: try body.bool("record_instructions")))
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
        let body = try await APIRequest.object(
            &request, limit: maxBodySize, allowed: ["username", "display_name", "role", "record_instructions", "profile"])
        let user = try await store.createUser(
            username: try body.requiredString("username"), displayName: try body.string("display_name"),
            role: try Self.role(body) ?? .user, recordInstructions: try body.bool("record_instructions") ?? false,
            profile: body.value("profile") ?? .object([:]))
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
        let body = try await APIRequest.object(
            &request, limit: maxBodySize, allowed: ["username", "display_name", "role", "record_instructions", "profile"])
        let id = try APIRequest.id(context)
        // Demoting oneself could leave nobody able to administer the server (in auth mode none, for good).
        if id == admin.id, try Self.role(body) == .user {
            throw ParleyError.unprocessable("admins cannot take the admin role from themselves", param: "role")
        }
        let user = try await store.updateUser(
            id: id,
            UserChanges(
                username: try body.string("username"), displayName: try body.string("display_name"),
                profile: body.value("profile"), role: try Self.role(body),
                recordInstructions: try body.bool("record_instructions")))
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
        try await InstructionLog(store: store).record(
            admin, action: "user.delete", detail: .object(["username": .string(user.username)]), outcome: "ok",
            always: true)
        return Response(status: .noContent)
    }

    static func role(_ body: FieldReader) throws -> UserRole? {
        guard let text = try body.string("role") else { return nil }
        guard let role = UserRole(rawValue: text) else { throw body.fail("role", "expected admin or user") }
        return role
    }
}
