import Foundation
import ParleyCore
import ParleyKnowledge
import ParleyStorage
import ParleyStorageTesting
import ParleyTesting
import Testing

@Suite("Ingestion")
struct IngestionTests {
    @Test(arguments: TestBackend.allCases)
    func documentsOfEveryKindBecomeSearchableChunksWithTheirOrigin(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await withKnowledge(store) { knowledge in
                let alice = try await store.createUser(username: "alice")
                let collection = try await store.createCollection(ownerID: alice.id, name: "Docs")
                let pdf = PDFMaker.make(
                    pages: [["Introduction to the manual"], ["The boiler pressure must stay under 3 bar."]],
                    title: "Boiler manual")
                _ = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id, .upload("boiler.pdf", Array(pdf)))
                _ = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id,
                    .upload("staff.csv", "name,office\nAda,Lisbon\n\"Grace, H\",Oslo\n", type: "text/csv"))
                _ = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id,
                    .upload("guide.md", "# Guide\n\n## Refunds\n\nRefunds take fourteen days.\n"))
                try await knowledge.ingestAll()

                let documents = try await store.documents(collectionID: collection.id, userID: alice.id)
                #expect(documents.map(\.status) == [.ready, .ready, .ready])
                #expect(documents.map(\.kind) == ["pdf", "csv", "markdown"])
                #expect(documents[0].pageCount == 2)
                #expect(documents[0].title == "Boiler manual")
                #expect(documents[1].rowCount == 2)

                let boiler = try await knowledge.search("boiler pressure", in: [collection])
                #expect(boiler.first?.chunk.page == 2)
                let oslo = try await knowledge.search("Who works in Oslo?", in: [collection])
                #expect(oslo.first?.chunk.row == 1)
                #expect(oslo.first?.chunk.text.contains("name: Grace, H; office: Oslo") == true)
                let refunds = try await knowledge.search("how long do refunds take", in: [collection])
                #expect(refunds.first?.chunk.heading == "Refunds")
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func theSameContentTwiceIsANoOpAndChangedContentReplacesTheChunks(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await withKnowledge(store) { knowledge in
                let alice = try await store.createUser(username: "alice")
                let collection = try await store.createCollection(ownerID: alice.id, name: "Docs")
                let first = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id, .upload("notes.txt", "The password is swordfish."))
                #expect(first.queued)
                try await knowledge.ingestAll()
                let again = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id, .upload("copy.txt", "The password is swordfish."))
                #expect(!again.queued)
                #expect(again.document.id == first.document.id)

                let changed = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id, .upload("notes.txt", "The password is marlin now."))
                #expect(changed.queued)
                #expect(changed.document.id == first.document.id)
                // Until the new content is indexed, the old one is still found.
                #expect(
                    try await knowledge.search("swordfish", in: [collection], options: .init(mode: .fullText)).count
                        == 1)
                try await knowledge.ingestAll()
                #expect(
                    try await knowledge.search("swordfish", in: [collection], options: .init(mode: .fullText)).isEmpty)
                #expect(
                    try await knowledge.search("marlin", in: [collection]).first?.chunk.documentID == first.document.id)
                #expect(try await store.documents(collectionID: collection.id, userID: alice.id).count == 1)
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func badInputFailsItsDocumentWithAReasonAndLeavesTheOthersAlone(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await withKnowledge(store, configure: { $0.maxDocumentBytes = 4096 }) { knowledge in
                let alice = try await store.createUser(username: "alice")
                let collection = try await store.createCollection(ownerID: alice.id, name: "Docs")
                let good = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id, .upload("good.md", "Lighthouses guide ships."))
                let cases: [(NewDocument, String)] = [
                    (.upload("image.bin", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 1, 2, 3]), "binary"),
                    (.upload("broken.pdf", Array(PDFMaker.make(pages: [["Hello"]]).prefix(80))), "corrupt"),
                    (.upload("locked.pdf", Array(PDFMaker.make(pages: [["Secret"]], encrypted: true))), "encrypted"),
                    (.upload("bad.csv", "a,b\n1,2\n3,\"unclosed\n", type: "text/csv"), "line 3"),
                    (.upload("short.csv", "a,b\n1,2\n3\n", type: "text/csv"), "expected 2 fields"),
                    (.upload("big.txt", String(repeating: "word ", count: 2000)), "over the limit"),
                    (.upload("photo.png", [1, 2, 3], type: "image/png"), "unsupported content type"),
                ]
                var ids: [(String, String)] = []
                for (document, reason) in cases {
                    ids.append(
                        (
                            try await store.addDocument(collectionID: collection.id, userID: alice.id, document)
                                .document.id, reason
                        ))
                }
                try await knowledge.ingestAll()
                for (id, reason) in ids {
                    let document = try await store.document(id: id, collectionID: collection.id, userID: alice.id)
                    #expect(document.status == .failed, "\(document.source)")
                    #expect(
                        document.error?.contains(reason) == true, "\(document.source): \(document.error ?? "no error")")
                    #expect(document.chunkCount == 0)
                }
                let ready = try await store.document(
                    id: good.document.id, collectionID: collection.id, userID: alice.id)
                #expect(ready.status == .ready)
                let hits = try await knowledge.search("lighthouses", in: [collection])
                #expect(hits.map(\.chunk.documentID) == [good.document.id])
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func twoWorkersNeverClaimOneJobAndAStoppedWorkersJobIsTakenUpAgain(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let collection = try await store.createCollection(ownerID: alice.id, name: "Docs")
            for index in 0..<6 {
                _ = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id, .upload("n\(index).txt", "note \(index)"))
            }
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in ["a", "b", "c"] {
                    group.addTask {
                        var mine: [String] = []
                        while let job = try await store.claimKnowledgeJob(worker: worker) { mine.append(job.id) }
                        return mine
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(claims.count == 6)
            #expect(Set(claims).count == 6)

            // A worker that stopped: its lease runs out and another takes the job up.
            _ = try await store.addDocument(
                collectionID: collection.id, userID: alice.id, .upload("late.txt", "late note"))
            let stalled = try #require(try await store.claimKnowledgeJob(worker: "stopped", leaseMilliseconds: 1))
            try await Task.sleep(for: .milliseconds(20))
            let resumed = try #require(try await store.claimKnowledgeJob(worker: "new"))
            #expect(resumed.id == stalled.id)
            #expect(resumed.attempts == 2)
            // The stopped worker can no longer store anything for it.
            #expect(try await store.reportKnowledgeProgress(job: stalled, worker: "stopped", progress: 0.5) == false)
        }
    }

    @Test func aJobLeftRunningByAStoppedServerIsResumedAfterARestart() async throws {
        try await withStore(.sqlite) { store in
            let alice = try await store.createUser(username: "alice")
            let collection = try await store.createCollection(ownerID: alice.id, name: "Docs")
            let added = try await store.addDocument(
                collectionID: collection.id, userID: alice.id, .upload("kept.md", "Owls hunt at night."))
            // A server claims the job and stops (killed) before finishing it.
            _ = try #require(try await store.claimKnowledgeJob(worker: "killed-server"))
            #expect(try await store.document(id: added.document.id)?.status == .ingesting)
            // The next start: the worker service requeues and runs it.
            try await store.requeueInterruptedKnowledgeJobs()
            try await withKnowledge(store) { knowledge in
                try await knowledge.ingestAll()
                #expect(try await store.document(id: added.document.id)?.status == .ready)
                #expect(try await knowledge.search("owls", in: [collection]).count == 1)
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func collectionsAreTheOwnersUnlessShared(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            let own = try await store.createCollection(ownerID: alice.id, name: "Private")
            let team = try await store.createCollection(ownerID: alice.id, name: "Team", shared: true)
            #expect(try await store.collections(userID: bob.id).map(\.id) == [team.id])
            await #expect(throws: ParleyError.self) { _ = try await store.collection(id: own.id, userID: bob.id) }
            do {
                _ = try await store.documents(collectionID: own.id, userID: bob.id)
                Issue.record("bob read alice's documents")
            } catch let error as ParleyError {
                #expect(error.status == 404)
            }
            do {
                _ = try await store.addDocument(collectionID: team.id, userID: bob.id, .upload("x.txt", "x"))
                Issue.record("bob added to alice's shared collection")
            } catch let error as ParleyError {
                #expect(error.status == 403)
            }
            do {
                _ = try await store.createCollection(ownerID: alice.id, name: "private")
                Issue.record("a second collection with the same name")
            } catch let error as ParleyError {
                #expect(error.status == 409)
            }
        }
    }
}
