/// A model server Parley can talk to: an upstream over HTTP, or the built-in engine.
///
/// Providers translate between the canonical types and their own wire format; they know nothing
/// of the surfaces that call them.
public protocol ChatProvider: Sendable {
    /// The provider's name in the configuration; the first half of `provider/model` ids.
    var name: String { get }

    /// The models the provider offers right now. Throws when the provider cannot be reached.
    func listModels() async throws -> [ModelInfo]

    /// Starts a chat. `request.model` is the provider's own model name.
    ///
    /// Errors known before the first event (unknown model, upstream refused the request) are thrown
    /// here, so a surface can answer them with a status code; errors after that end the stream.
    /// Cancelling the task that iterates the stream cancels the upstream work.
    func chat(_ request: ChatRequest) async throws -> AsyncThrowingStream<ChatEvent, any Error>
}

/// A provider that can also embed texts.
public protocol EmbeddingProvider: ChatProvider {
    /// `request.model` is the provider's own model name.
    func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResult
}
