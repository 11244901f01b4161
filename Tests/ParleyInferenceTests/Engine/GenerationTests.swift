import Foundation
import ParleyCore
import Synchronization
import Testing

@testable import ParleyInference

/// Generation through `LoadedModel` on the real default model.
@Suite struct GenerationTests {
    static func collect(_ stream: AsyncThrowingStream<GenerationEvent, any Error>) async throws
        -> (text: String, summary: GenerationSummary)
    {
        var text = ""
        var summary: GenerationSummary?
        for try await event in stream {
            switch event {
            case .text(let piece): text += piece
            case .finished(let final): summary = final
            }
        }
        return (text, try #require(summary))
    }

    static func greedy(maxTokens: Int?, stop: [String] = []) -> GenerationParameters {
        GenerationParameters(sampling: .greedy, maxTokens: maxTokens, stop: stop)
    }

    @Test func theChatTemplateAndTokenizerGiveLlamaCppsPromptTokens() throws {
        let fixture = try Fixtures.load(ParityFixture.self, "engine_parity.json")
        let model = try TestModel.loaded()
        for prompt in fixture.prompts {
            let messages = prompt.messages.map { message in
                ChatMessage(role: ChatRole(rawValue: message["role"]!)!, content: .text(message["content"]!))
            }
            #expect(try model.promptTokens(for: messages) == prompt.tokens)
        }
    }

    @Test func greedyGenerationFollowsLlamaCppAndStopsAtTheTokenLimit() async throws {
        let fixture = try Fixtures.load(ParityFixture.self, "engine_parity.json")
        let prompt = try #require(fixture.prompts.first { !$0.greedy.contains(2) && !$0.greedy.contains(0) })
        let model = try TestModel.loaded()
        let (text, summary) = try await Self.collect(
            model.generate(prompt: prompt.tokens, parameters: Self.greedy(maxTokens: 32)))
        #expect(summary.tokens == prompt.greedy)
        #expect(summary.finishReason == .length)
        #expect(summary.promptTokens == prompt.tokens.count)
        #expect(summary.completionTokens == 32)
        #expect(text == model.tokenizer.decode(prompt.greedy))
    }

    @Test func anAnswerEndsAtTheEndOfTurnToken() async throws {
        let model = try TestModel.loaded()
        let prompt = try model.promptTokens(for: [.user("What is the capital of France? Answer in one word.")])
        let (text, summary) = try await Self.collect(
            model.generate(prompt: prompt, parameters: Self.greedy(maxTokens: 64)))
        #expect(summary.finishReason == .stop)
        #expect(text.contains("Paris"))
        #expect(!text.contains("<|im_end|>"))
    }

    @Test func stopStringsEndTheAnswerBeforeThem() async throws {
        let model = try TestModel.loaded()
        let prompt = try model.promptTokens(for: [.user("Describe the moon in three sentences.")])
        let (full, _) = try await Self.collect(model.generate(prompt: prompt, parameters: Self.greedy(maxTokens: 40)))
        try #require(full.count > 40, "unexpected answer: \(full)")
        // A stop string from the middle of the answer, likely spanning several tokens.
        let start = full.index(full.startIndex, offsetBy: 25)
        let stop = String(full[start..<full.index(start, offsetBy: 7)])
        let (text, summary) = try await Self.collect(
            model.generate(prompt: prompt, parameters: Self.greedy(maxTokens: 40, stop: ["never there", stop])))
        #expect(summary.finishReason == .stop)
        #expect(text == String(full[..<full.range(of: stop)!.lowerBound]))
    }

    @Test func theSameSeedGivesTheSameText() async throws {
        let model = try TestModel.loaded()
        let prompt = try model.promptTokens(for: [.user("Write a sentence about a cat.")])
        func sample(seed: UInt64) async throws -> String {
            var settings = SamplingSettings()
            settings.temperature = 1.0
            settings.seed = seed
            return try await Self.collect(
                model.generate(prompt: prompt, parameters: GenerationParameters(sampling: settings, maxTokens: 24))
            ).text
        }
        let first = try await sample(seed: 42)
        #expect(try await sample(seed: 42) == first)
        let others = try await [sample(seed: 1), sample(seed: 2), sample(seed: 3)]
        #expect(others.contains { $0 != first })
    }

    @Test func aPromptLongerThanTheContextIsABadRequest() throws {
        let model = try TestModel.loaded(contextLength: 64)
        let prompt = [Int32](repeating: 100, count: 80)
        let error = try #require(throws: ParleyError.self) {
            _ = try model.generate(prompt: prompt, parameters: Self.greedy(maxTokens: 4))
        }
        #expect(error.status == 400)
        #expect(error.codeString == "context_length_exceeded")
        // A smaller context asked for by the request counts too.
        var parameters = Self.greedy(maxTokens: 4)
        parameters.contextLength = 20
        #expect(throws: ParleyError.self) {
            _ = try model.generate(prompt: Array(prompt.prefix(30)), parameters: parameters)
        }
    }

    @Test func generationStopsAtTheEndOfTheContext() async throws {
        let model = try TestModel.loaded(contextLength: 48)
        let prompt = try model.promptTokens(for: [.user("Tell me a long story about dragons.")])
        let (_, summary) = try await Self.collect(
            model.generate(prompt: prompt, parameters: Self.greedy(maxTokens: nil)))
        #expect(summary.finishReason == .length)
        #expect(summary.promptTokens + summary.completionTokens == 48)
    }

    @Test func aSharedPrefixIsReusedAndGivesTheSameAnswer() async throws {
        let model = try TestModel.loaded()
        let fresh = try TestModel.loaded()
        let first = try model.promptTokens(for: [.user("Name a colour.")])
        _ = try await Self.collect(model.generate(prompt: first, parameters: Self.greedy(maxTokens: 8)))
        let second = try model.promptTokens(for: [.user("Name a colour."), .assistant("Blue."), .user("Another one?")])
        let (text, summary) = try await Self.collect(
            model.generate(prompt: second, parameters: Self.greedy(maxTokens: 16)))
        #expect(summary.cachedPromptTokens >= first.count - 2)
        let (expected, _) = try await Self.collect(
            fresh.generate(prompt: second, parameters: Self.greedy(maxTokens: 16)))
        #expect(text == expected)
    }
}
