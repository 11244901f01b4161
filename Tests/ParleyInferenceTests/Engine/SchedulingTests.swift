import Foundation
import ParleyCore
import Synchronization
import Testing

@testable import ParleyInference

/// Which request asked for each token's text, in order.
final class TokenLog: Sendable {
    private let entries = Mutex<[Int]>([])
    func append(_ label: Int) { entries.withLock { $0.append(label) } }
    var labels: [Int] { entries.withLock { $0 } }
}

/// A decoder that records its request's label in a shared log for every token.
struct RecordingDecoder: TokenDecoding {
    let tokenizer: Tokenizer
    let label: Int
    let log: TokenLog

    func bytes(of token: Int32) -> [UInt8] {
        log.append(label)
        return tokenizer.piece(of: token)
    }
}

/// Requests to one model wait their turn, in order, and never disturb each other.
@Suite struct SchedulingTests {
    @Test func concurrentRequestsRunOneAtATimeInArrivalOrderWithTheirOwnAnswers() async throws {
        let model = try TestModel.loaded()
        let questions = ["What is 2 + 2?", "Name a planet.", "Say hello in French."]
        var solo: [String] = []
        for question in questions {
            let fresh = try TestModel.loaded()
            let prompt = try fresh.promptTokens(for: [.user(question)])
            solo.append(
                try await GenerationTests.collect(
                    fresh.generate(prompt: prompt, parameters: GenerationTests.greedy(maxTokens: 12))
                ).text)
        }
        let log = TokenLog()
        var streams: [AsyncThrowingStream<GenerationEvent, any Error>] = []
        for (index, question) in questions.enumerated() {
            let decoder = RecordingDecoder(tokenizer: model.tokenizer, label: index, log: log)
            let prompt = try model.promptTokens(for: [.user(question)])
            streams.append(
                try model.generate(prompt: prompt, parameters: GenerationTests.greedy(maxTokens: 12), decoder: decoder))
        }
        let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for (index, stream) in streams.enumerated() {
                group.addTask { (index, try await GenerationTests.collect(stream).text) }
            }
            var answers = [String](repeating: "", count: streams.count)
            for try await (index, text) in group { answers[index] = text }
            return answers
        }
        #expect(answers == solo)
        let order = log.labels
        // Each request's tokens come in one run, the runs in the order the requests were made.
        var runs: [Int] = []
        for label in order where runs.last != label { runs.append(label) }
        #expect(runs == [0, 1, 2])
    }

    @Test func cancellingStopsGenerationWithinAToken() async throws {
        let model = try TestModel.loaded()
        let log = TokenLog()
        let prompt = try model.promptTokens(for: [.user("Tell me a very long story about the sea.")])
        let stream = try model.generate(
            prompt: prompt, parameters: GenerationTests.greedy(maxTokens: 500),
            decoder: RecordingDecoder(tokenizer: model.tokenizer, label: 0, log: log))
        // The consumer is a task, as a server's request handler is; the client going away cancels it.
        let consumer = Task {
            for try await _ in stream {}
        }
        while log.labels.count < 3 { try await Task.sleep(for: .milliseconds(1)) }
        consumer.cancel()
        let madeWhenCancelled = log.labels.count
        _ = await consumer.result
        // The next request starts only once the cancelled one has ended.
        let next = try model.promptTokens(for: [.user("Hi")])
        _ = try await GenerationTests.collect(
            model.generate(prompt: next, parameters: GenerationTests.greedy(maxTokens: 1)))
        let made = log.labels.count
        #expect(
            made <= madeWhenCancelled + 2, "the cancelled request went on from \(madeWhenCancelled) to \(made) tokens")
    }

    @Test func aRequestCancelledWhileWaitingNeverRuns() async throws {
        let model = try TestModel.loaded()
        let log = TokenLog()
        let prompt = try model.promptTokens(for: [.user("Tell me a story.")])
        let first = try model.generate(
            prompt: prompt, parameters: GenerationTests.greedy(maxTokens: 8),
            decoder: RecordingDecoder(tokenizer: model.tokenizer, label: 0, log: log))
        let waiting = Task {
            let second = try model.generate(
                prompt: prompt, parameters: GenerationTests.greedy(maxTokens: 8),
                decoder: RecordingDecoder(tokenizer: model.tokenizer, label: 1, log: log))
            for try await _ in second {}
        }
        waiting.cancel()
        _ = try await GenerationTests.collect(first)
        _ = await waiting.result
        // A third request runs after both: the second made no tokens.
        _ = try await GenerationTests.collect(
            model.generate(prompt: prompt, parameters: GenerationTests.greedy(maxTokens: 1)))
        #expect(!log.labels.contains(1))
    }
}
