import Hummingbird
import ParleyCore
import ParleyStorage

/// `/api/v1/presets`: a user's named parameter sets per model, one of them the model's default.
struct PresetsController {
    let store: Store
    let maxBodySize: Int

    func addRoutes(to group: RouterGroup<ParleyRequestContext>) {
        group.get("presets", use: list)
        group.post("presets", use: create)
        group.get("presets/:id", use: get)
        group.patch("presets/:id", use: update)
        group.delete("presets/:id", use: delete)
    }

    @Sendable func list(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let presets = try await store.presets(userID: user.id, model: APIRequest.string(request, "model"))
        return try JSONResponse.make(Page(items: presets, nextCursor: nil))
    }

    @Sendable func create(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(
            &request, limit: maxBodySize, allowed: ["model", "name", "parameters", "is_default"])
        let preset = try await store.createPreset(
            ownerID: user.id, model: try body.requiredString("model"), name: try body.requiredString("name"),
            parameters: try Self.parameters(body) ?? [:], isDefault: try body.bool("is_default") ?? false)
        return try JSONResponse.make(preset, status: .created)
    }

    @Sendable func get(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        return try JSONResponse.make(try await store.preset(id: try APIRequest.id(context), userID: user.id))
    }

    @Sendable func update(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: ["name", "parameters", "is_default"])
        let preset = try await store.updatePreset(
            id: try APIRequest.id(context), userID: user.id, name: try body.string("name"),
            parameters: try Self.parameters(body), isDefault: try body.bool("is_default"))
        return try JSONResponse.make(preset)
    }

    @Sendable func delete(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        try await store.deletePreset(id: try APIRequest.id(context), userID: user.id)
        return Response(status: .noContent)
    }

    /// Preset parameters: the store checks names and types; ranges are checked as for a chat.
    static func parameters(_ body: FieldReader) throws -> [String: JSONValue]? {
        guard var parameters = try body.dictionary("parameters") else { return nil }
        let systemPrompt = parameters.removeValue(forKey: "system_prompt")
        try ChatParameters.validate(parameters.filter { Store.presetParameters[$0.key] != nil }, path: "parameters")
        if let systemPrompt { parameters["system_prompt"] = systemPrompt }
        return parameters
    }
}
