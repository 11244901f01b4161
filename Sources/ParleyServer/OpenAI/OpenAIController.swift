import Foundation
import Hummingbird
import ParleyCore
import ParleyProviders

/// The OpenAI-compatible surface: `/v1/models`, `/v1/chat/completions`, `/v1/embeddings`.
struct OpenAIController {
    let router: ModelRouter
    let maxBodySize: Int
    /// Reported as `created` for models whose provider does not say.
    let startedAt = Int(Date().timeIntervalSince1970)

    func addRoutes(to group: RouterGroup<ParleyRequestContext>) {
        group.get("models", use: listModels)
        group.get("models/**", use: getModel)
        group.post("chat/completions", use: chatCompletions)
        group.post("embeddings", use: embeddings)
    }

    @Sendable func listModels(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let models = await router.listModels().filter { context.allowsModel(id: $0.id, model: $0.name) }
        var data = models.map { model in
            OpenAIResponses.ModelBody(id: model.id, created: model.created > 0 ? model.created : startedAt, owned_by: model.ownedBy)
        }
        for alias in router.aliases.keys.sorted() where context.allowsModel(id: alias, model: alias) {
            data.append(.init(id: alias, created: startedAt, owned_by: "parley-alias"))
        }
        return try JSONResponse.make(OpenAIResponses.ModelList(data: data))
    }

    @Sendable func getModel(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let id = context.parameters.getCatchAll().joined(separator: "/")
        let route = try await router.resolve(id)
        try context.requireModel(route, requested: id)
        let model = await router.listModels().first { $0.provider == route.provider.name && $0.name == route.model }
        return try JSONResponse.make(
            OpenAIResponses.ModelBody(
                id: route.id, created: (model?.created).flatMap { $0 > 0 ? $0 : nil } ?? startedAt,
                owned_by: model?.ownedBy ?? route.provider.name))
    }

    @Sendable func chatCompletions(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        var request = request
        let body = try await RequestBodyReader.json(&request, limit: maxBodySize)
        let decoded = try OpenAIChatRequestDecoder.decode(body)
        try context.requireScope(.chat)
        let route = try await router.resolve(decoded.request.model)
        try context.requireModel(route, requested: decoded.request.model)
        let tally = try await context.beginUsage()
        var chat = decoded.request
        chat.model = route.model
        chat.stream = decoded.stream
        let id = CompletionID.next()
        let created = Int(Date().timeIntervalSince1970)

        guard decoded.stream else {
            var result = ChatResult()
            for event in try await route.provider.answer(chat) {
                tally?.observe(event)
                result.apply(event)
            }
            let toolCalls = result.toolCalls.isEmpty ? nil : result.toolCalls.map { call in
                OpenAIResponses.ToolCallBody(id: call.id, type: "function", function: .init(name: call.name, arguments: call.arguments))
            }
            let finish = result.finishReason ?? (toolCalls == nil ? .stop : .toolCalls)
            return JSONResponse.make(
                OpenAIResponses.Completion(
                    id: String(id), created: created, model: route.id,
                    choices: [
                        .init(
                            message: .init(content: toolCalls != nil && result.text.isEmpty ? nil : result.text, toolCalls: toolCalls),
                            finishReason: finish.rawValue)
                    ],
                    usage: .init(result.usage)))
        }

        let batches = try await route.provider.chatInBatches(chat)
        let encoder = OpenAIStreamEncoder(id: String(id), created: created, model: route.id, includeUsage: decoded.includeUsage)
        return EventStreamResponse.make(
            batches: batches, logger: context.logger, state: encoder,
            frame: { event, encoder in
                tally?.observe(event)
                return try encoder.frames(for: event)
            },
            end: { encoder in try encoder.end() },
            failure: { error, encoder in encoder.errorFrame(error) })
    }

    @Sendable func embeddings(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        var request = request
        let body = try await RequestBodyReader.json(&request, limit: maxBodySize)
        guard case .object(let object) = body else { throw ParleyError.badRequest("The request body must be a JSON object.") }
        let fields = FieldReader(object)
        let model = try fields.requiredString("model")
        guard fields.value("input") != nil else { throw fields.fail("input", "is required") }
        guard let input = try? fields.strings("input") else {
            throw fields.fail("input", "expected a string or an array of strings (token arrays are not supported)")
        }
        guard !input.isEmpty else { throw fields.fail("input", "must hold at least one text") }
        let format = try fields.string("encoding_format") ?? "float"
        guard format == "float" || format == "base64" else {
            throw fields.fail("encoding_format", "'\(format)' is not an encoding (float, base64)")
        }
        let dimensions = try fields.integer("dimensions", in: 1...100_000)
        try context.requireScope(.embeddings)
        let route = try await router.resolve(model)
        try context.requireModel(route, requested: model)
        guard let provider = route.provider as? any EmbeddingProvider else {
            throw ParleyError.badRequest("The model '\(model)' cannot make embeddings.", param: "model")
        }
        let tally = try await context.beginUsage()
        let result = try await provider.embed(
            EmbeddingRequest(model: route.model, input: input, dimensions: dimensions, user: try fields.string("user")))
        tally?.observe(promptTokens: result.promptTokens)
        let data = result.vectors.enumerated().map { index, vector in
            OpenAIResponses.EmbeddingList.Item(
                index: index,
                embedding: format == "base64" ? .base64(vector.withUnsafeBytes { Data($0) }.base64EncodedString()) : .floats(vector))
        }
        return try JSONResponse.make(
            OpenAIResponses.EmbeddingList(
                data: data, model: route.id, usage: .init(prompt_tokens: result.promptTokens, total_tokens: result.promptTokens)))
    }
}
