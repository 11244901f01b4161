import Foundation
import ParleyCore
import ParleyKnowledge
import ParleyStorage
import ParleyStorageTesting
import ParleyTesting
import Testing

/// A document given new content: a refresh that fails keeps what the document had; the same content sent
/// twice at once makes one document.
@Suite("Document refresh")
struct DocumentRefreshTests {
    @Test(arguments: TestBackend.allCases)
    func aReuploadThatFailsKeepsTheChunksTheDocumentHadAndSaysWhy(backend: TestBackend) async throws {
        try await withCollection(backend) { store, knowledge, alice, collection in
            func upload(_ document: NewDocument) async throws -> (document: KnowledgeDocumentRecord, queued: Bool) {
                let added = try await store.addDocument(collectionID: collection.id, userID: alice.id, document)
                try await knowledge.ingestAll()
                return (try await store.document(id: added.document.id)!, added.queued)
            }
            let first = try await upload(.upload("guide.md", "Lighthouses guide ships.")).document
            let (kept, queued) = try await upload(.upload("guide.md", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 1, 2, 3]))
            #expect(queued)
            #expect(kept.id == first.id)
            #expect(kept.status == .ready)
            #expect(kept.error == nil)
            #expect(kept.chunkCount == 1)
            #expect(kept.refreshError?.contains("binary") == true, "\(kept.refreshError ?? "no refresh error")")
            #expect(kept.refreshFailedAt != nil)
            for mode in Retriever.Mode.allCases {
                let hits = try await knowledge.search("lighthouses", in: [collection], options: .init(mode: mode))
                #expect(hits.first?.chunk.documentID == first.id, "\(mode)")
            }
            let grounding = try await knowledge.grounding(for: "What guides ships?", in: [collection])
            #expect(grounding?.citations.arrayValue?.first?["document_id"]?.stringValue == first.id)

            // A later refresh that works replaces the content and clears the failure.
            let fresh = try await upload(.upload("guide.md", "Lighthouses warn sailors.")).document
            #expect(fresh.status == .ready)
            #expect(fresh.refreshError == nil)
            #expect(fresh.refreshFailedAt == nil)
            #expect(try await knowledge.search("sailors", in: [collection]).count == 1)
            #expect(try await knowledge.search("ships", in: [collection], options: .init(mode: .fullText)).isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aPageThatCannotBeFetchedAgainKeepsWhatItHad(backend: TestBackend) async throws {
        let page = "<html><head><title>Hours</title></head><body><p>The museum opens at ten.</p></body></html>"
        try await DocumentServer(pages: ["/hours": .text(page)]).run { base in
            let url = base + "/hours"
            try await withStore(backend) { store in
                let alice = try await store.createUser(username: "alice")
                let collection = try await store.createCollection(ownerID: alice.id, name: "Web")
                let source = NewDocument(sourceKind: "url", source: url, title: url)
                // Fetched once where loopback is allowed, then again where it no longer is: that fetch fails.
                for allowed in [true, false] {
                    try await withKnowledge(store, configure: { if !allowed { $0.allowNetworks = [] } }) { knowledge in
                        _ = try await store.addDocument(collectionID: collection.id, userID: alice.id, source)
                        try await knowledge.ingestAll()
                    }
                }
                let kept = try #require(try await store.documents(collectionID: collection.id, userID: alice.id).first)
                #expect(kept.status == .ready)
                #expect(kept.title == "Hours")
                #expect(kept.refreshError?.contains("refused range") == true, "\(kept.refreshError ?? "none")")
                try await withKnowledge(store) { knowledge in
                    let hits = try await knowledge.search("museum", in: [collection])
                    #expect(hits.first?.chunk.url == url)
                }
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aDocumentThatNeverIngestedStillFailsWithItsReasonAndNoChunks(backend: TestBackend) async throws {
        try await withCollection(backend) { store, knowledge, alice, collection in
            // Tried twice with the same broken content: failed both times, with its reason.
            for _ in 0..<2 {
                _ = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id, .upload("bad.csv", "a,b\n1\n", type: "text/csv"))
                try await knowledge.ingestAll()
            }
            let documents = try await store.documents(collectionID: collection.id, userID: alice.id)
            #expect(documents.count == 1)
            #expect(documents.first?.status == .failed)
            #expect(documents.first?.error?.contains("expected 2 fields") == true, "\(documents)")
            #expect(documents.first?.refreshError == nil)
            #expect(documents.first?.chunkCount == 0)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func identicalUploadsAtTheSameMomentMakeOneDocument(backend: TestBackend) async throws {
        try await withCollection(backend) { store, _, alice, collection in
            let text = "Herons nest in tall trees by the lake."
            // Eight at once under one name, then eight at once under eight names (other content).
            for names in [Array(repeating: "herons.txt", count: 8), (0..<8).map { "copy-\($0).txt" }] {
                let added = try await withThrowingTaskGroup(of: (id: String, queued: Bool).self) { group in
                    for name in names {
                        group.addTask {
                            let added = try await store.addDocument(
                                collectionID: collection.id, userID: alice.id, .upload(name, text + names[0]))
                            return (added.document.id, added.queued)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(Set(added.map(\.id)).count == 1, "\(names[0])")
                #expect(added.filter(\.queued).count == 1, "\(names[0])")
            }
            #expect(try await store.documents(collectionID: collection.id, userID: alice.id).count == 2)
            var jobs = 0
            while try await store.claimKnowledgeJob(worker: "counter") != nil { jobs += 1 }
            #expect(jobs == 2)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func theSameUploadAgainBeforeItsIngestionIsTheDocumentItMade(backend: TestBackend) async throws {
        try await withCollection(backend) { store, knowledge, alice, collection in
            var added: [(document: KnowledgeDocumentRecord, queued: Bool)] = []
            for name in ["owls.md", "owls copy.md"] {
                added.append(
                    try await store.addDocument(
                        collectionID: collection.id, userID: alice.id, .upload(name, "Owls hunt at night.")))
            }
            #expect(added.map(\.queued) == [true, false])
            #expect(added[1].document.id == added[0].document.id)
            try await knowledge.ingestAll()
            let documents = try await store.documents(collectionID: collection.id, userID: alice.id)
            #expect(documents.map(\.status) == [.ready])
        }
    }
}
