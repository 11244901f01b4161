import Foundation
import ParleyKnowledge
import ParleyStorage
import ParleyStorageTesting
import Testing

/// Retrieval quality on the corpus of ``RetrievalCorpus``: recall@5 (the answering document among the
/// first five chunks) must reach 0.9 with hybrid retrieval, and hybrid must do at least as well as
/// full-text search alone and vectors alone. It runs with the built-in model when
/// `PARLEY_TEST_EMBEDDING_MODEL_DIR` names its files, otherwise with a word-hashing stand-in.
@Suite("Retrieval quality")
struct RetrievalQualityTests {
    static func embedder() throws -> any TextEmbedder {
        if let directory = ProcessInfo.processInfo.environment["PARLEY_TEST_EMBEDDING_MODEL_DIR"], !directory.isEmpty {
            return try LocalEmbedder(directory: URL(fileURLWithPath: directory))
        }
        return LexicalEmbedder()
    }

    @Test(arguments: TestBackend.allCases)
    func hybridRetrievalFindsTheSourceOfNineQuestionsInTen(backend: TestBackend) async throws {
        let (documents, questions) = RetrievalCorpus.make()
        #expect(documents.count >= 50)
        #expect(questions.count >= 100)
        let embedder = try Self.embedder()
        try await withStore(backend) { store in
            try await withKnowledge(store, embedder: embedder) { knowledge in
                let owner = try await store.createUser(username: "librarian")
                let collection = try await store.createCollection(ownerID: owner.id, name: "Corpus")
                var idByName: [String: String] = [:]
                for document in documents {
                    let added = try await store.addDocument(
                        collectionID: collection.id, userID: owner.id,
                        .upload(document.name, document.bytes, type: document.contentType))
                    idByName[document.name] = added.document.id
                }
                try await knowledge.ingestAll()
                let failed = try await store.documents(collectionID: collection.id, userID: owner.id).filter {
                    $0.status != .ready
                }
                #expect(failed.isEmpty, "\(failed.map { "\($0.source): \($0.error ?? "")" })")
                let current = try await store.collection(id: collection.id, userID: owner.id)

                var recall: [Retriever.Mode: Double] = [:]
                for mode in Retriever.Mode.allCases {
                    var found = 0
                    for question in questions {
                        let results = try await knowledge.search(
                            question.text, in: [current], options: .init(topK: 5, mode: mode))
                        if results.contains(where: { $0.chunk.documentID == idByName[question.source] }) { found += 1 }
                    }
                    recall[mode] = Double(found) / Double(questions.count)
                }
                let figures = Retriever.Mode.allCases.map { "\($0.rawValue) \(String(format: "%.3f", recall[$0]!))" }
                print("recall@5 (\(backend.rawValue), \(embedder.model)): \(figures.joined(separator: ", "))")
                #expect(recall[.hybrid]! >= 0.9, "\(figures)")
                #expect(recall[.hybrid]! >= recall[.fullText]!, "\(figures)")
                #expect(recall[.hybrid]! >= recall[.vector]!, "\(figures)")
            }
        }
    }
}
