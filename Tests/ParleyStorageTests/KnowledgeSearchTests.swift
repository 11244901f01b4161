import Foundation
import ParleyStorageTesting
import Testing

@testable import ParleyStorage

/// Full-text search over knowledge chunks: only the collections asked for, and on PostgreSQL the same
/// order as ranking every match.
@Suite("Knowledge full-text search")
struct KnowledgeSearchTests {
    /// Stores `texts` as the chunks of one document of `collectionID`, as ingestion does.
    static func addChunks(_ texts: [String], to collectionID: String, of userID: String, in store: Store)
        async throws -> [Int64]
    {
        let added = try await store.addDocument(
            collectionID: collectionID, userID: userID,
            NewDocument(sourceKind: "text", source: UUID().uuidString, title: "notes", content: Array("x".utf8)))
        let job = try #require(try await store.claimKnowledgeJob(worker: "test"))
        #expect(job.documentID == added.document.id)
        let content = IngestedContent(
            title: "notes", url: nil, kind: "text", contentType: nil, contentHash: UUID().uuidString, sizeBytes: 1,
            pageCount: nil, rowCount: nil, embeddingModel: nil)
        let chunks = texts.map { NewChunk(text: $0, heading: nil, page: nil, row: nil, tokens: 10, embedding: nil) }
        let indexed = try await store.completeKnowledgeJob(job: job, worker: "test", content: content, chunks: chunks)
        return try #require(indexed).chunkIDs
    }

    @Test(arguments: TestBackend.allCases)
    func wordsAreFoundInTheCollectionsSearchedAndNowhereElse(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            var chunks: [String: [Int64]] = [:]
            var ids: [String: String] = [:]
            for name in ["boilers", "radiators", "pumps"] {
                let collection = try await store.createCollection(ownerID: alice.id, name: name)
                ids[name] = collection.id
                chunks[name] = try await Self.addChunks(
                    ["The \(name) boiler room is locked at night.", "Nothing about it here."], to: collection.id,
                    of: alice.id, in: store)
            }
            let boilers = try #require(ids["boilers"])
            let radiators = try #require(ids["radiators"])
            let one = try await store.searchChunks(collectionIDs: [boilers], words: ["boiler"], limit: 10)
            #expect(one == [chunks["boilers"]![0]])
            let two = try await store.searchChunks(collectionIDs: [boilers, radiators], words: ["boiler"], limit: 10)
            #expect(Set(two) == [chunks["boilers"]![0], chunks["radiators"]![0]])
            // The key that stands for a collection in the index is not a word of its chunks.
            let key = Store.compactID(boilers)
            for word in [key, key + "0", "K" + key] {
                #expect(try await store.searchChunks(collectionIDs: [boilers], words: [word], limit: 10).isEmpty)
            }
            // Stop words never find the whole collection (PostgreSQL drops them from a query, which could leave
            // nothing but the collection to match).
            let common = try await store.searchChunks(collectionIDs: [boilers], words: ["the", "at"], limit: 10)
            #expect(!common.contains(chunks["boilers"]![1]))
        }
    }

    @Test func postgresRanksLikeRankingEveryMatch() async throws {
        try await withStore(.postgres) { store in
            let alice = try await store.createUser(username: "alice")
            let collection = try await store.createCollection(ownerID: alice.id, name: "Words")
            // Few words, so that many chunks hold two of a query's words; and a second collection with the
            // same words, which must not count.
            // Word n of chunk i is word (i × (n + 3) + n²) mod 40 of the vocabulary: a spread with repeats.
            let vocabulary = (0..<40).map { "word\($0)x" }
            func text(_ index: Int) -> String {
                (0..<12).map { vocabulary[(index * ($0 + 3) + $0 * $0) % 40] }.joined(separator: " ")
            }
            _ = try await Self.addChunks((0..<400).map(text), to: collection.id, of: alice.id, in: store)
            let other = try await store.createCollection(ownerID: alice.id, name: "Other")
            _ = try await Self.addChunks((400..<600).map(text), to: other.id, of: alice.id, in: store)
            let scope = "'K\(Store.compactID(collection.id))'"
            for round in 0..<40 {
                let words = (0...(round % 6)).map { vocabulary[(round * 11 + $0 * 7) % 40] }
                let limit = [5, 20, 50][round % 3]
                let found = try await store.searchChunks(collectionIDs: [collection.id], words: words, limit: limit)
                let any = words.map { "'\($0)'" }.joined(separator: " | ")
                let everyMatch = try await store.rankedChunks(matching: any, rankedBy: any, scope: scope, limit: limit)
                #expect(found == everyMatch, "\(words), limit \(limit)")
                #expect(!found.isEmpty)
            }
        }
    }
}
