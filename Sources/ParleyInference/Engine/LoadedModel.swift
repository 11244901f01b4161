import Dispatch
import ParleyCore

/// A model ready to generate: its weights (mapped), tokenizer and chat template, one KV cache, and
/// a queue that runs one request at a time in arrival order.
///
/// The KV cache and the tokens it holds are touched only by jobs on `queue`, a serial queue (FIFO),
/// which is what serialises requests: an actor would interleave them at every `await`.
public final class LoadedModel: @unchecked Sendable {
    public let info: ModelFileInfo
    public let file: GGUFFile
    public let model: any LanguageModel
    /// Positions the KV cache holds: the longest prompt plus answer.
    public let contextLength: Int
    public let loadDurationNanos: UInt64
    public let tokenizer: Tokenizer
    /// Tokens that end an answer (the tokenizer's end-of-generation tokens).
    public let endOfGeneration: Set<Int32>
    /// The file's chat template, ChatML when it has none; an error if it has one that cannot be parsed.
    public let chatTemplate: Result<ChatTemplate, any Error>

    private let queue: DispatchQueue
    private var cache: KVCache?
    /// The tokens whose keys and values are in `cache`, in order.
    private var cachedTokens: [Int32] = []

    /// Loads the model a file describes.
    /// - Parameter contextLength: positions to hold; by default the model's trained context.
    /// - Throws: `ModelLoadingError` or `TokenizerError` when the engine cannot run the file.
    public init(file: GGUFFile, pool: ComputePool, contextLength: Int? = nil) throws {
        let start = ContinuousClock.now
        self.file = file
        info = ModelFileInfo(file: file)
        model = try ModelArchitectures.load(file, pool: pool)
        self.contextLength = max(16, contextLength ?? model.trainedContextLength)
        tokenizer = try Tokenizer(gguf: file)
        endOfGeneration = tokenizer.endOfGenerationIDs
        if let source = file.metadata["tokenizer.chat_template"]?.string {
            chatTemplate = Result { try ChatTemplate(source: source) }
        } else {
            chatTemplate = .success(.chatML)
        }
        queue = DispatchQueue(label: "parley.model.\(file.path)", qos: .userInitiated)
        file.prefetch()
        loadDurationNanos = (ContinuousClock.now - start).nanoseconds
    }

    /// The prompt tokens for a conversation: the chat template rendered with a generation prompt,
    /// then tokenized (special tokens in the text are parsed as such).
    /// - Throws: `ParleyError.badRequest` when the template cannot be parsed or rejects the messages.
    public func promptTokens(for messages: [ChatMessage], tools: [ToolDefinition] = []) throws -> [Int32] {
        let text: String
        do {
            let template = try chatTemplate.get()
            text = try template.render(
                messages, tools: tools, addGenerationPrompt: true, bosToken: specialText(.bos),
                eosToken: specialText(.eos))
        } catch {
            throw ParleyError.badRequest("The model's chat template cannot render these messages: \(error)")
        }
        return tokenizer.encode(text, addSpecial: true, parseSpecial: true)
    }

    private func specialText(_ role: Vocabulary.SpecialToken) -> String {
        guard let id = tokenizer.id(of: role) else { return "" }
        return String(decoding: tokenizer.piece(of: id, renderSpecial: true), as: UTF8.self)
    }

    /// Starts generating after `prompt`, decoding tokens with the model's tokenizer.
    public func generate(prompt: [Int32], parameters: GenerationParameters) throws
        -> AsyncThrowingStream<GenerationEvent, any Error>
    {
        try generate(prompt: prompt, parameters: parameters, decoder: tokenizer)
    }

    /// Starts generating after `prompt`. Requests to one model run one at a time, in the order
    /// they were made; tokens stream as they are made.
    ///
    /// - Throws: `ParleyError.contextLengthExceeded` when the prompt leaves no room for an answer,
    ///   `ParleyError.badRequest` for an empty prompt or a token outside the vocabulary.
    /// Ending the stream's iteration (or cancelling its task) stops generation within one token.
    public func generate(
        prompt: [Int32], parameters: GenerationParameters, decoder: any TokenDecoding
    ) throws -> AsyncThrowingStream<GenerationEvent, any Error> {
        let limit = min(contextLength, parameters.contextLength.map { max(1, $0) } ?? contextLength)
        guard !prompt.isEmpty else { throw ParleyError.badRequest("The prompt is empty.") }
        guard prompt.count < limit else {
            throw ParleyError.contextLengthExceeded(
                "The prompt has \(prompt.count) tokens; the model's context holds \(limit) "
                    + "(prompt and answer together).")
        }
        if let bad = prompt.first(where: { $0 < 0 || Int($0) >= model.vocabularySize }) {
            throw ParleyError.badRequest("Token \(bad) is outside the model's vocabulary.")
        }
        let job = GenerationJob()
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: GenerationEvent.self)
        continuation.onTermination = { _ in job.cancel() }
        queue.async { [self] in
            guard !job.isCancelled else {
                continuation.finish()
                return
            }
            run(job, prompt: prompt, limit: limit, parameters: parameters, decoder: decoder, continuation: continuation)
        }
        return stream
    }

    /// Runs on `queue`.
    private func run(
        _ job: GenerationJob, prompt: [Int32], limit: Int, parameters: GenerationParameters, decoder: any TokenDecoding,
        continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation
    ) {
        let started = ContinuousClock.now
        let cache = self.cache ?? model.makeCache(capacity: contextLength)
        self.cache = cache
        var logits = [Float](repeating: 0, count: model.vocabularySize)

        // Reuse the keys and values of the longest common prefix; the last prompt token is always
        // evaluated again, for its logits.
        let reused = min(commonPrefix(cachedTokens, prompt), prompt.count - 1)
        cache.truncate(to: reused)
        cachedTokens.removeSubrange(reused...)
        prompt[reused...].withUnsafeBufferPointer { tokens in
            logits.withUnsafeMutableBufferPointer {
                model.evaluate(tokens, cache: cache, outputCount: 1, logits: $0.baseAddress!)
            }
        }
        cachedTokens.append(contentsOf: prompt[reused...])
        let promptDone = ContinuousClock.now

        var sampler = Sampler(settings: parameters.sampling)
        var history = prompt
        var generated: [Int32] = []
        var text = UTF8StreamDecoder()
        var stops = StopSequenceFilter(stops: parameters.stop)
        let maxTokens = parameters.maxTokens ?? Int.max
        var reason = GenerationFinishReason.length
        while !job.isCancelled {
            if generated.count >= maxTokens || cache.count >= limit {
                reason = .length
                break
            }
            let token = logits.withUnsafeMutableBufferPointer { sampler.sample(logits: $0, history: history[...]) }
            if endOfGeneration.contains(token) {
                reason = .stop
                break
            }
            generated.append(token)
            history.append(token)
            let piece = stops.feed(text.feed(decoder.bytes(of: token)))
            if !piece.isEmpty { continuation.yield(.text(piece)) }
            if stops.stopped {
                reason = .stop
                break
            }
            [token].withUnsafeBufferPointer { tokens in
                logits.withUnsafeMutableBufferPointer {
                    model.evaluate(tokens, cache: cache, outputCount: 1, logits: $0.baseAddress!)
                }
            }
            cachedTokens.append(token)
        }
        if job.isCancelled {
            continuation.finish()
            return
        }
        let tail = stops.feed(text.flush()) + stops.flush()
        if !tail.isEmpty { continuation.yield(.text(tail)) }
        let finished = ContinuousClock.now
        continuation.yield(
            .finished(
                GenerationSummary(
                    finishReason: reason, promptTokens: prompt.count, cachedPromptTokens: reused,
                    completionTokens: generated.count, tokens: generated,
                    promptDurationNanos: (promptDone - started).nanoseconds,
                    completionDurationNanos: (finished - promptDone).nanoseconds,
                    queueDurationNanos: (started - job.enqueued).nanoseconds)))
        continuation.finish()
    }

    private func commonPrefix(_ a: [Int32], _ b: [Int32]) -> Int {
        var count = 0
        while count < a.count, count < b.count, a[count] == b[count] { count += 1 }
        return count
    }
}
