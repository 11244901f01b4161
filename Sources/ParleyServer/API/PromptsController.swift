import Hummingbird
import ParleyCore
import ParleyStorage

/// `/api/v1/prompts`: the prompt library (own and shared prompts) and `{{variable}}` rendering.
struct PromptsController {
    let store: Store
    let maxBodySize: Int

    func addRoutes(to group: RouterGroup<ParleyRequestContext>) {
        group.get("prompts", use: list)
        group.post("prompts", use: create)
        group.get("prompts/:id", use: get)
        group.patch("prompts/:id", use: update)
        group.delete("prompts/:id", use: delete)
        group.post("prompts/:id/render", use: render)
    }

    @Sendable func list(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        return try JSONResponse.make(
            try await store.prompts(
                userID: user.id, cursor: APIRequest.string(request, "cursor"), limit: try APIRequest.int(request, "limit")))
    }

    @Sendable func create(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: ["title", "body", "shared"])
        let prompt = try await store.createPrompt(
            ownerID: user.id, title: try body.requiredString("title"), body: try body.requiredString("body"),
            shared: try body.bool("shared") ?? false)
        return try JSONResponse.make(prompt, status: .created)
    }

    @Sendable func get(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        return try JSONResponse.make(try await store.prompt(id: try APIRequest.id(context), userID: user.id))
    }

    @Sendable func update(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: ["title", "body", "shared"])
        let prompt = try await store.updatePrompt(
            id: try APIRequest.id(context), userID: user.id, title: try body.string("title"), body: try body.string("body"),
            shared: try body.bool("shared"))
        return try JSONResponse.make(prompt)
    }

    @Sendable func delete(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        try await store.deletePrompt(id: try APIRequest.id(context), userID: user.id)
        return Response(status: .noContent)
    }

    struct Rendered: Encodable {
        var text: String
        /// Variables of the prompt that were not given (left as `{{name}}` in the text).
        var missing: [String]
    }

    @Sendable func render(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: ["variables"])
        let prompt = try await store.prompt(id: try APIRequest.id(context), userID: user.id)
        var values: [String: String] = [:]
        for (name, value) in try body.dictionary("variables") ?? [:] {
            guard case .string(let text) = value else { throw body.fail("variables.\(name)", "expected a string") }
            values[name] = text
        }
        return try JSONResponse.make(
            Rendered(
                text: PromptTemplate.render(prompt.body, values: values),
                missing: prompt.variables.filter { values[$0] == nil }))
    }
}
