import Foundation
import Testing

@testable import ParleyInference

/// The engine against llama.cpp on the same file (fixtures from scripts/fixtures/engine_parity.py).
@Suite struct ParityTests {
    static let pool = ComputePool(threads: 2)

    @Test func greedyDecodingMatchesLlamaCppForEveryPrompt() throws {
        let fixture = try Fixtures.load(ParityFixture.self, "engine_parity.json")
        #expect(fixture.prompts.count >= 8)
        let model = try ModelArchitectures.load(TestModel.file(), pool: Self.pool)
        let cache = model.makeCache(capacity: 1024)
        var logits = [Float](repeating: 0, count: model.vocabularySize)
        for prompt in fixture.prompts {
            cache.truncate(to: 0)
            var generated: [Int32] = []
            var next = prompt.tokens
            while generated.count < prompt.greedy.count {
                next.withUnsafeBufferPointer { model.evaluate($0, cache: cache, outputCount: 1, logits: &logits) }
                let token = Int32(logits.indices.max { logits[$0] < logits[$1] }!)
                generated.append(token)
                next = [token]
            }
            #expect(generated == prompt.greedy, "prompt: \(prompt.text.debugDescription)")
        }
    }

    @Test func perplexityIsWithinOnePercentOfLlamaCpp() throws {
        let fixture = try Fixtures.load(ParityFixture.self, "engine_parity.json").perplexity
        #expect(fixture.tokens.count >= 2000)
        let model = try ModelArchitectures.load(TestModel.file(), pool: Self.pool)
        let cache = model.makeCache(capacity: fixture.window)
        let vocabulary = model.vocabularySize
        let chunk = 256
        var logits = [Float](repeating: 0, count: chunk * vocabulary)
        var total = 0.0
        var start = 0
        while start < fixture.tokens.count {
            let end = min(fixture.tokens.count, start + chunk)
            fixture.tokens[start..<end].withUnsafeBufferPointer {
                model.evaluate($0, cache: cache, outputCount: end - start, logits: &logits)
            }
            for position in start..<end where position + 1 < fixture.tokens.count {
                let row = logits[((position - start) * vocabulary)..<((position - start + 1) * vocabulary)]
                let peak = Double(row.max()!)
                let logSum = peak + log(row.reduce(0.0) { $0 + exp(Double($1) - peak) })
                total += logSum - Double(row[row.startIndex + Int(fixture.tokens[position + 1])])
            }
            start = end
        }
        let perplexity = exp(total / Double(fixture.tokens.count - 1))
        #expect(
            abs(perplexity / fixture.perplexity - 1) < 0.01, "perplexity \(perplexity), llama.cpp \(fixture.perplexity)"
        )
    }
}
