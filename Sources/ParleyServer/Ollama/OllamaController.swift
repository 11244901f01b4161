import Foundation
import Hummingbird
import ParleyCore
import ParleyProviders

/// The Ollama-compatible surface (`/ollama/api/...`): every model of every provider, for Ollama
/// clients (base URL `http://HOST:PORT/ollama`).
struct OllamaController {
    let router: ModelRouter
    let maxBodySize: Int
    /// The Ollama version reported to clients, recent enough for the features they check for.
    static let version = "0.9.0"

    /// - Parameter auth: signs in every `/ollama/api` request (the bare base URL answers anyone).
    func addRoutes(to router: Router<ParleyRequestContext>, auth: AuthMiddleware) {
        // Clients probe the base URL itself ("Ollama is running").
        router.get("ollama") { _, _ in Self.running() }
        router.head("ollama") { _, _ in Self.running() }
        let group = router.group("ollama/api").add(middleware: auth)
        group.get("version") { _, _ in try JSONResponse.make(["version": .string(Self.version)] as JSONValue) }
        group.get("tags", use: tags)
        group.get("ps", use: running)
        group.post("show", use: show)
        group.post("chat", use: chat)
        group.post("generate", use: generate)
        group.post("embed", use: embed)
        group.post("embeddings", use: embeddings)
    }

    static func running() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "Ollama is running")))
    }

    @Sendable func tags(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let models = await router.listModels().filter { context.allowsModel(id: $0.id, model: $0.name) }
        let modified = Date(timeIntervalSince1970: 0).formatted(Date.ISO8601FormatStyle())
        let entries: [JSONValue] = models.map { model in
            [
                "name": .string(model.id), "model": .string(model.id), "modified_at": .string(modified),
                "size": .number(Double(model.details.sizeBytes ?? 0)),
                "digest": .string(model.details.digest ?? ""),
                "details": details(model),
            ]
        }
        return try JSONResponse.make(["models": .array(entries)] as JSONValue)
    }

    /// Models in memory: only the embedded engine holds any.
    @Sendable func running(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        var entries: [JSONValue] = []
        for name in router.providerNames {
            guard let provider = router.provider(named: name) as? EmbeddedProvider else { continue }
            let listed = (try? await provider.listModels()) ?? []
            for model in (try? provider.loadedModelNames()) ?? [] {
                let info = listed.first { $0.name == model }
                entries.append([
                    "name": .string("\(name)/\(model)"), "model": .string("\(name)/\(model)"),
                    "size": .number(Double(info?.details.sizeBytes ?? 0)), "size_vram": 0,
                    "digest": .string(info?.details.digest ?? ""),
                    "details": info.map(details) ?? [:],
                    "expires_at": "2999-01-01T00:00:00Z",
                ])
            }
        }
        return try JSONResponse.make(["models": .array(entries)] as JSONValue)
    }

    @Sendable func show(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        var request = request
        let body = try await RequestBodyReader.json(&request, limit: maxBodySize)
        let fields = FieldReader(body.objectValue ?? [:])
        guard let name = try fields.string("model") ?? fields.string("name") else { throw fields.fail("model", "is required") }
        let route = try await router.resolve(name)
        try context.requireModel(route, requested: name)
        let model = await router.listModels().first { $0.provider == route.provider.name && $0.name == route.model }
            ?? ModelInfo(name: route.model, provider: route.provider.name)
        var capabilities: [JSONValue] = []
        if model.capabilities.contains(.chat) { capabilities.append("completion") }
        if model.capabilities.contains(.embeddings) { capabilities.append("embedding") }
        if model.capabilities.contains(.tools) { capabilities.append("tools") }
        if model.capabilities.contains(.vision) { capabilities.append("vision") }
        var info: [String: JSONValue] = ["general.architecture": .string(model.details.family ?? "unknown")]
        if let context = model.details.contextLength {
            info["\(model.details.family ?? "general").context_length"] = .number(Double(context))
        }
        return try JSONResponse.make(
            [
                "modelfile": .string("# served by Parley from provider '\(route.provider.name)'\nFROM \(route.model)\n"),
                "parameters": "", "template": .string(model.details.chatTemplate ?? ""),
                "details": details(model), "model_info": .object(info), "capabilities": .array(capabilities),
            ] as JSONValue)
    }

    private func details(_ model: ModelInfo) -> JSONValue {
        let family = JSONValue.string(model.details.family ?? "")
        return [
            "parent_model": "", "format": .string(model.details.format ?? "gguf"), "family": family, "families": [family],
            "parameter_size": .string(model.details.parameterSize ?? ""),
            "quantization_level": .string(model.details.quantizationLevel ?? ""),
        ]
    }

    @Sendable func chat(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        try await answer(request, context: context, shape: .chat, decode: OllamaRequestDecoder.chat)
    }

    @Sendable func generate(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        var request = request
        let body = try await RequestBodyReader.json(&request, limit: maxBodySize)
        // An empty prompt loads (or unloads) the model and answers at once, as in Ollama.
        if (body["prompt"]?.stringValue ?? "").isEmpty, body["system"] == nil {
            let fields = FieldReader(body.objectValue ?? [:])
            let model = try fields.requiredString("model")
            let route = try await router.resolve(model)
            try context.requireModel(route, requested: model)
            return try JSONResponse.make(
                ["model": .string(route.id), "created_at": .string(OllamaStreamEncoder.timestamp()), "response": "",
                 "done": true, "done_reason": "load"] as JSONValue)
        }
        return try await answer(request, body: body, context: context, shape: .generate, decode: OllamaRequestDecoder.generate)
    }

    private func answer(
        _ request: Request, body: JSONValue? = nil, context: ParleyRequestContext, shape: OllamaStreamEncoder.Shape,
        decode: (JSONValue) throws -> OllamaRequestDecoder.Decoded
    ) async throws -> Response {
        let started = ContinuousClock.now
        var request = request
        let json: JSONValue
        if let body {
            json = body
        } else {
            json = try await RequestBodyReader.json(&request, limit: maxBodySize)
        }
        let decoded = try decode(json)
        try context.requireScope(.chat)
        let route = try await router.resolve(decoded.request.model)
        try context.requireModel(route, requested: decoded.request.model)
        let tally = try await context.beginUsage()
        var chat = decoded.request
        chat.model = route.model
        chat.stream = decoded.stream
        var encoder = OllamaStreamEncoder(shape: shape, model: route.id, started: started)
        guard decoded.stream else {
            for event in try await route.provider.answer(chat) {
                tally?.observe(event)
                encoder.absorb(event)
            }
            return try JSONResponse.make(encoder.final(includingText: true))
        }
        let batches = try await route.provider.chatInBatches(chat)
        return EventStreamResponse.make(
            contentType: "application/x-ndjson", batches: batches, logger: context.logger, state: encoder,
            frame: { event, encoder in
                tally?.observe(event)
                return encoder.line(for: event)
            },
            end: { encoder in encoder.endLine() },
            failure: { error, _ in OllamaStreamEncoder.errorLine(error) })
    }

    @Sendable func embed(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        var request = request
        let body = try await RequestBodyReader.json(&request, limit: maxBodySize)
        let fields = FieldReader(body.objectValue ?? [:])
        let model = try fields.requiredString("model")
        guard let input = try fields.strings("input"), !input.isEmpty else { throw fields.fail("input", "is required") }
        let (route, result) = try await embeddings(
            model: model, input: input, dimensions: try fields.integer("dimensions"), context: context)
        let total = ContinuousClock.now - started
        return try JSONResponse.make(
            [
                "model": .string(route.id),
                "embeddings": .array(result.vectors.map { .array($0.map { .number(Double($0)) }) }),
                "total_duration": .number(Double(total.components.seconds) * 1e9 + Double(total.components.attoseconds / 1_000_000_000)),
                "load_duration": 0, "prompt_eval_count": .number(Double(result.promptTokens)),
            ] as JSONValue)
    }

    /// The older single-text endpoint.
    @Sendable func embeddings(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        var request = request
        let body = try await RequestBodyReader.json(&request, limit: maxBodySize)
        let fields = FieldReader(body.objectValue ?? [:])
        let model = try fields.requiredString("model")
        let prompt = try fields.requiredString("prompt")
        let (_, result) = try await embeddings(model: model, input: [prompt], dimensions: nil, context: context)
        return try JSONResponse.make(["embedding": .array((result.vectors.first ?? []).map { .number(Double($0)) })] as JSONValue)
    }

    private func embeddings(
        model: String, input: [String], dimensions: Int?, context: ParleyRequestContext
    ) async throws -> (ModelRouter.Route, EmbeddingResult) {
        try context.requireScope(.embeddings)
        let route = try await router.resolve(model)
        try context.requireModel(route, requested: model)
        guard let provider = route.provider as? any EmbeddingProvider else {
            throw ParleyError.badRequest("The model '\(model)' cannot make embeddings.", param: "model")
        }
        let tally = try await context.beginUsage()
        let result = try await provider.embed(EmbeddingRequest(model: route.model, input: input, dimensions: dimensions))
        tally?.observe(promptTokens: result.promptTokens)
        return (route, result)
    }
}
