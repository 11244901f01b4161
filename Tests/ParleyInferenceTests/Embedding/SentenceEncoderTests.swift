import Foundation
import ParleyInference
import Testing

@Suite("Sentence encoder (all-MiniLM-L6-v2)")
struct SentenceEncoderTests {
    @Test func tokenizerMatchesHuggingFaceIdsForEveryFixtureSentence() throws {
        let encoder = try TestEmbeddingModel.encoder()
        let fixture = try EmbeddingFixture.load()
        for item in fixture.cases {
            #expect(encoder.tokenIDs(item.text) == item.ids, "text: \(item.text.debugDescription)")
            #expect(encoder.tokenCount(item.text) == item.word_pieces, "text: \(item.text.debugDescription)")
        }
    }

    @Test func reportsTheModelsShape() throws {
        let encoder = try TestEmbeddingModel.encoder()
        #expect(encoder.dimensions == 384)
        #expect(encoder.maxTokens == 256)
    }

    @Test func embeddingsMatchSentenceTransformersWithCosineAbove0999() throws {
        let encoder = try TestEmbeddingModel.encoder()
        let fixture = try EmbeddingFixture.load()
        let vectors = try encoder.encode(fixture.cases.map(\.text))
        #expect(vectors.count == fixture.cases.count)
        var worst: Float = 1
        for (item, vector) in zip(fixture.cases, vectors) {
            #expect(vector.count == 384)
            let similarity = cosine(vector, item.embedding)
            worst = min(worst, similarity)
            #expect(similarity >= 0.999, "text: \(item.text.debugDescription), cosine \(similarity)")
        }
        print("minimum cosine against sentence-transformers: \(worst)")
    }

    @Test func embeddingsAreUnitLength() throws {
        let encoder = try TestEmbeddingModel.encoder()
        for vector in try encoder.encode(["one", "two words", String(repeating: "long text ", count: 200)]) {
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-4)
        }
    }

    @Test func aBatchGivesTheSameVectorsAsOneTextAtATime() throws {
        let encoder = try TestEmbeddingModel.encoder()
        let texts = try EmbeddingFixture.load().cases.prefix(24).map(\.text)
        let batched = try encoder.encode(texts)
        for (text, vector) in zip(texts, batched) {
            let single = try encoder.encode([text])[0]
            #expect(cosine(single, vector) > 0.99999, "text: \(text.debugDescription)")
        }
    }

    @Test func encodingNothingGivesNothing() throws {
        let encoder = try TestEmbeddingModel.encoder()
        #expect(try encoder.encode([]).isEmpty)
    }

    @Test func concurrentCallersGetTheirOwnVectors() async throws {
        let encoder = try TestEmbeddingModel.encoder()
        let texts = ["alpha beta", "the cat sat on the mat", "PostgreSQL replication", "日本語の文章"]
        let expected = try encoder.encode(texts)
        try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
            for round in 0..<8 {
                group.addTask {
                    let index = round % texts.count
                    return (index, try encoder.encode([texts[index]])[0])
                }
            }
            for try await (index, vector) in group {
                #expect(cosine(vector, expected[index]) > 0.99999)
            }
        }
    }
}
