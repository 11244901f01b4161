import Foundation
import ParleyCore
import ParleyKnowledge
import ParleyStorage
import ParleyTesting
import Testing

/// A document given new content: a refresh that fails keeps what the document had; the same content sent
/// twice at once makes one document.
@Suite("Document refresh")
struct DocumentRefreshTests {
    @Test(arguments: TestBackend.allCases)
    func aReuploadThatFailsKeepsTheChunksTheDocumentHadAndSaysWhy(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await withKnowledge(store) { knowledge in
                let alice = try await store.createUser(username: "alice")
                let collection = try await store.createCollection(ownerID: alice.id, name: "Docs")
                let first = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id, .upload("guide.md", "Lighthouses guide ships."))
                try await knowledge.ingestAll()

                let broken = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id,
                    .upload("guide.md", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 1, 2, 3]))
                #expect(broken.queued)
                #expect(broken.document.id == first.document.id)
                try await knowledge.ingestAll()

                let kept = try await store.document(id: first.document.id, collectionID: collection.id, userID: alice.id)
                #expect(kept.status == .ready)
                #expect(kept.error == nil)
                #expect(kept.chunkCount == 1)
                #expect(kept.refreshError?.contains("binary") == true, "\(kept.refreshError ?? "no refresh error")")
                #expect(kept.refreshFailedAt != nil)
                for mode in Retriever.Mode.allCases {
                    let hits = try await knowledge.search("lighthouses", in: [collection], options: .init(mode: mode))
                    #expect(hits.first?.chunk.documentID == first.document.id, "\(mode)")
                }
                let grounding = try await knowledge.grounding(for: "What guides ships?", in: [collection])
                #expect(grounding?.citations.arrayValue?.first?["document_id"]?.stringValue == first.document.id)

                // A later refresh that works replaces the content and clears the failure.
                _ = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id, .upload("guide.md", "Lighthouses warn sailors."))
                try await knowledge.ingestAll()
                let fresh = try await store.document(
                    id: first.document.id, collectionID: collection.id, userID: alice.id)
                #expect(fresh.status == .ready)
                #expect(fresh.refreshError == nil)
                #expect(fresh.refreshFailedAt == nil)
                #expect(try await knowledge.search("sailors", in: [collection]).count == 1)
                #expect(
                    try await knowledge.search("ships", in: [collection], options: .init(mode: .fullText)).isEmpty)
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aPageThatCannotBeFetchedAgainKeepsWhatItHad(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let collection = try await store.createCollection(ownerID: alice.id, name: "Web")
            let page = "<html><head><title>Hours</title></head><body><p>The museum opens at ten.</p></body></html>"
            try await DocumentServer(pages: ["/hours": .text(page)]).run { base in
                let url = base + "/hours"
                try await withKnowledge(store) { knowledge in
                    _ = try await store.addDocument(
                        collectionID: collection.id, userID: alice.id, NewDocument(sourceKind: "url", source: url, title: url))
                    try await knowledge.ingestAll()
                }
                let added = try #require(try await store.documents(collectionID: collection.id, userID: alice.id).first)
                #expect(added.status == .ready)
                // Fetched again where loopback is no longer allowed: the fetch fails.
                try await withKnowledge(store, configure: { $0.allowNetworks = [] }) { knowledge in
                    let again = try await store.addDocument(
                        collectionID: collection.id, userID: alice.id, NewDocument(sourceKind: "url", source: url, title: url))
                    #expect(again.queued)
                    #expect(again.document.id == added.id)
                    try await knowledge.ingestAll()
                    let kept = try await store.document(id: added.id, collectionID: collection.id, userID: alice.id)
                    #expect(kept.status == .ready)
                    #expect(kept.title == "Hours")
                    #expect(kept.refreshError?.contains("refused range") == true, "\(kept.refreshError ?? "none")")
                    #expect(try await knowledge.search("museum", in: [collection]).first?.chunk.url == url)
                }
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aDocumentThatNeverIngestedStillFailsWithItsReasonAndNoChunks(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await withKnowledge(store) { knowledge in
                let alice = try await store.createUser(username: "alice")
                let collection = try await store.createCollection(ownerID: alice.id, name: "Docs")
                let added = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id, .upload("bad.csv", "a,b\n1\n", type: "text/csv"))
                try await knowledge.ingestAll()
                // Tried again with the same broken content: still failed, with its reason.
                _ = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id, .upload("bad.csv", "a,b\n1\n", type: "text/csv"))
                try await knowledge.ingestAll()
                let failed = try await store.document(id: added.document.id, collectionID: collection.id, userID: alice.id)
                #expect(failed.status == .failed)
                #expect(failed.error?.contains("expected 2 fields") == true, "\(failed.error ?? "no error")")
                #expect(failed.refreshError == nil)
                #expect(failed.chunkCount == 0)
                #expect(try await store.documents(collectionID: collection.id, userID: alice.id).count == 1)
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func identicalUploadsAtTheSameMomentMakeOneDocument(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let collection = try await store.createCollection(ownerID: alice.id, name: "Docs")
            let text = "Herons nest in tall trees by the lake."
            for names in [Array(repeating: "herons.txt", count: 8), (0..<8).map { "copy-\($0).txt" }] {
                let added = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
                    for name in names {
                        group.addTask {
                            let added = try await store.addDocument(
                                collectionID: collection.id, userID: alice.id, .upload(name, text + names[0]))
                            return (added.document.id, added.queued)
                        }
                    }
                    return try await group.reduce(into: [(String, Bool)]()) { $0.append($1) }
                }
                #expect(Set(added.map(\.0)).count == 1, "\(names[0])")
                #expect(added.filter(\.1).count == 1, "\(names[0])")
            }
            #expect(try await store.documents(collectionID: collection.id, userID: alice.id).count == 2)
            #expect(try await store.hasPendingKnowledgeJobs())
            var jobs = 0
            while try await store.claimKnowledgeJob(worker: "counter") != nil { jobs += 1 }
            #expect(jobs == 2)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func theSameUploadAgainBeforeItsIngestionIsTheDocumentItMade(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await withKnowledge(store) { knowledge in
                let alice = try await store.createUser(username: "alice")
                let collection = try await store.createCollection(ownerID: alice.id, name: "Docs")
                let first = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id, .upload("owls.md", "Owls hunt at night."))
                let second = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id, .upload("owls copy.md", "Owls hunt at night."))
                #expect(first.queued)
                #expect(!second.queued)
                #expect(second.document.id == first.document.id)
                try await knowledge.ingestAll()
                let documents = try await store.documents(collectionID: collection.id, userID: alice.id)
                #expect(documents.map(\.status) == [.ready])
            }
        }
    }
}
