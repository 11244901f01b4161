import Foundation
import Logging
import ParleyCore
import ParleyProviders
import Testing

/// The embedded provider answering with the real default model (found as the engine's tests find it:
/// PARLEY_TEST_MODEL, ~/.parley/models, /work/ref/models; the tests fail when it is nowhere).
@Suite struct EmbeddedProviderTests {
    static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    static func modelPath() throws -> String {
        let environment = ProcessInfo.processInfo.environment["PARLEY_TEST_MODEL"].flatMap { $0.isEmpty ? nil : $0 }
        let candidates =
            environment.map { [$0] } ?? [
                FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".parley/models/\(fileName)")
                    .path,
                "/work/ref/models/\(fileName)",
            ]
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            Issue.record("The default model \(fileName) was not found: set PARLEY_TEST_MODEL to its path.")
            throw CancellationError()
        }
        return path
    }

    /// A models directory holding (a link to) the default model, removed afterwards.
    final class ModelsDirectory {
        let url: URL

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("parley-models-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: url.appendingPathComponent(EmbeddedProviderTests.fileName).path,
                withDestinationPath: EmbeddedProviderTests.modelPath())
        }

        deinit { try? FileManager.default.removeItem(at: url) }
    }

    static func provider(_ directory: ModelsDirectory, contextLength: Int? = nil) -> EmbeddedProvider {
        EmbeddedProvider(
            name: "local", modelsDirectory: directory.url, threads: 2, contextLength: contextLength,
            logger: Logger(label: "test"))
    }

    @Test func listsTheModelUnderItsFileNameAndItsAlias() async throws {
        let directory = try ModelsDirectory()
        let models = try await Self.provider(directory).listModels()
        let chatModels = models.filter { $0.capabilities.contains(.chat) }
        #expect(Set(chatModels.map(\.name)) == ["smollm2-135m-instruct.q4_1", "smollm2"])
        // The built-in embedding model is listed too (installed on first use).
        #expect(models.contains { $0.name == "all-minilm-l6-v2" && $0.capabilities == [.embeddings] })
        let model = try #require(models.first { $0.name == "smollm2" })
        #expect(model.id == "local/smollm2")
        #expect(model.details.family == "llama")
        #expect(model.details.quantizationLevel == "Q4_1")
        #expect(model.details.parameterSize == "135M")
        #expect(model.details.contextLength == 8192)
        #expect(model.details.chatTemplate?.contains("<|im_start|>") == true)
    }

    @Test func theRealModelAnswersAChat() async throws {
        let directory = try ModelsDirectory()
        let provider = Self.provider(directory)
        let request = ChatRequest(
            model: "smollm2:latest", messages: [.user("What is the capital of France? Answer in one word.")],
            parameters: SamplingParameters(temperature: 0, maxTokens: 32))
        var deltas = 0
        var result = ChatResult()
        for try await event in try await provider.chat(request) {
            if case .delta = event { deltas += 1 }
            result.apply(event)
        }
        #expect(result.text.contains("Paris"))
        #expect(deltas > 1)
        #expect(result.finishReason == .stop)
        let usage = try #require(result.usage)
        #expect(usage.promptTokens > 10)
        #expect(usage.completionTokens > 0)
        #expect((usage.promptDurationNanos ?? 0) > 0)
        #expect((usage.completionDurationNanos ?? 0) > 0)
        #expect((usage.loadDurationNanos ?? 0) > 0)
        #expect(try provider.loadedModelNames() == ["smollm2-135m-instruct.q4_1"])

        // The same seed gives the same answer; the token limit ends it with `length`.
        let sampled = ChatRequest(
            model: "smollm2", messages: [.user("Write a line about rain.")],
            parameters: SamplingParameters(temperature: 1, maxTokens: 6, seed: 11))
        let first = try await ChatResult.collect(provider.chat(sampled))
        let second = try await ChatResult.collect(provider.chat(sampled))
        #expect(first.text == second.text)
        #expect(first.finishReason == .length)
        #expect(first.usage?.completionTokens == 6)
    }

    @Test func anUnknownModelIsNotFound() async throws {
        let directory = try ModelsDirectory()
        let error = await #expect(throws: ParleyError.self) {
            _ = try await Self.provider(directory).chat(ChatRequest(model: "nope", messages: [.user("Hi")]))
        }
        #expect(error?.isModelNotFound == true)
    }

    @Test func aPromptLongerThanTheContextIsRefusedBeforeStreaming() async throws {
        let directory = try ModelsDirectory()
        let provider = Self.provider(directory, contextLength: 64)
        let long = String(repeating: "All work and no play makes Jack a dull boy. ", count: 20)
        let error = await #expect(throws: ParleyError.self) {
            _ = try await provider.chat(ChatRequest(model: "smollm2", messages: [.user(long)]))
        }
        #expect(error?.status == 400)
        #expect(error?.codeString == "context_length_exceeded")
    }
}
