import Hummingbird
import ParleyCore
import ParleyStorage

/// `/api/v1/records`: a user's instruction records (admins may list everyone's with `all=true`).
struct RecordsController {
    let store: Store

    func addRoutes(to group: RouterGroup<ParleyRequestContext>) {
        group.get("records", use: list)
        group.delete("records", use: deleteAll)
        group.delete("records/:id", use: delete)
    }

    @Sendable func list(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let everyone = try APIRequest.bool(request, "all") ?? false
        if everyone { _ = try context.requireAdmin() }
        let page = try await store.records(
            userID: everyone ? nil : user.id, cursor: APIRequest.string(request, "cursor"),
            limit: try APIRequest.int(request, "limit"))
        return try JSONResponse.make(page)
    }

    @Sendable func delete(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        try await store.deleteRecord(id: try APIRequest.id(context), userID: user.id)
        return Response(status: .noContent)
    }

    struct Deleted: Encodable { var deleted: Int }

    @Sendable func deleteAll(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        return try JSONResponse.make(Deleted(deleted: try await store.deleteRecords(userID: user.id)))
    }
}
