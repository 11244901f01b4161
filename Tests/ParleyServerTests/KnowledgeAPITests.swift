import Foundation
import ParleyCore
import ParleyTesting
import Testing

/// Knowledge collections over `/api/v1`: adding documents, watching them get ready, searching, and
/// answers grounded in them with citations.
@Suite struct KnowledgeAPITests {
    /// Polls a document until it leaves `queued` and `ingesting`.
    func settled(_ parley: ParleyClient, _ collection: String, _ document: String) async throws -> JSONValue {
        for _ in 0..<200 {
            let reply = try await parley.get("/api/v1/collections/\(collection)/documents/\(document)")
            let status = reply.json?["status"]?.stringValue
            if status == "ready" || status == "failed" { return try #require(reply.json) }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("document \(document) never settled")
        return .null
    }

    func newCollection(_ parley: ParleyClient, _ name: String = "Handbook") async throws -> String {
        let created = try await parley.post("/api/v1/collections", json: ["name": .string(name)])
        #expect(created.status == 201)
        return try #require(created.json?["id"]?.stringValue)
    }

    @Test func documentsAddedByTextUploadAndURLBecomeSearchable() async throws {
        let page =
            "<html><head><title>Opening hours</title></head><body><h1>Hours</h1><p>The museum opens at ten.</p></body></html>"
        try await DocumentServer(pages: ["/hours": .text(page)]).run { site in
            try await withParley({ $0.knowledge.settings.allowNetworks = [.init("127.0.0.0/8")!] }) { parley in
                let collection = try await newCollection(parley)
                let text = try await parley.post(
                    "/api/v1/collections/\(collection)/documents",
                    json: ["text": "# Parking\n\nVisitors park behind the east gate.", "title": "Parking"])
                #expect(text.status == 202)
                let boundary = "parley-boundary"
                var form = Data(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"prices.csv\"\r\n".utf8)
                form += Data(
                    "Content-Type: text/csv\r\n\r\nticket,price\nadult,12 euros\nchild,5 euros\r\n--\(boundary)--\r\n"
                        .utf8)
                let upload = try await parley.post(
                    "/api/v1/collections/\(collection)/documents", raw: form,
                    contentType: "multipart/form-data; boundary=\(boundary)")
                #expect(upload.status == 202)
                let url = try await parley.post(
                    "/api/v1/collections/\(collection)/documents", json: ["url": .string(site + "/hours")])
                #expect(url.status == 202)

                for reply in [text, upload, url] {
                    let document = try await settled(parley, collection, try #require(reply.json?["id"]?.stringValue))
                    #expect(document["status"]?.stringValue == "ready", "\(document)")
                    #expect(document["progress"]?.doubleValue == 1)
                }
                let again = try await parley.post(
                    "/api/v1/collections/\(collection)/documents", raw: form,
                    contentType: "multipart/form-data; boundary=\(boundary)")
                #expect(again.status == 200)
                #expect(again.json?["id"] == upload.json?["id"])

                let listed = try await parley.get("/api/v1/collections/\(collection)/documents")
                #expect(listed.json?["items"]?.arrayValue?.count == 3)
                let search = try await parley.post(
                    "/api/v1/collections/\(collection)/search", json: ["query": "how much is a child ticket"])
                #expect(search.status == 200)
                let first = try #require(search.json?["items"]?.arrayValue?.first)
                #expect(first["title"]?.stringValue == "prices.csv")
                #expect(first["row"]?.doubleValue == 1)
                let hours = try await parley.post(
                    "/api/v1/collections/\(collection)/search",
                    json: ["query": "when does the museum open", "mode": "full_text"])
                #expect(hours.json?["items"]?.arrayValue?.first?["url"]?.stringValue == site + "/hours")

                let deleted = try await parley.delete(
                    "/api/v1/collections/\(collection)/documents/\(try #require(url.json?["id"]?.stringValue))")
                #expect(deleted.status == 204)
                #expect(
                    try await parley.get("/api/v1/collections/\(collection)/documents").json?["items"]?.arrayValue?
                        .count == 2)
            }
        }
    }

    @Test func anUploadOverTheSizeLimitBecomesAFailedDocumentThatSaysWhy() async throws {
        try await withParley({ $0.knowledge.settings.maxDocumentBytes = 4096 }) { parley in
            let collection = try await newCollection(parley)
            let documents = "/api/v1/collections/\(collection)/documents"
            let raw = try await parley.post(
                documents + "?filename=big.txt", raw: Data(repeating: 0x61, count: 10_000), contentType: "text/plain")
            #expect(raw.status == 201)
            #expect(raw.json?["status"]?.stringValue == "failed")
            #expect(raw.json?["source"]?.stringValue == "big.txt")
            #expect(raw.json?["size_bytes"]?.doubleValue == 10_000)
            let reason = raw.json?["error"]?.stringValue ?? ""
            #expect(reason.contains("10000 bytes, over the limit of 4096 bytes"), "\(reason)")

            // A form too large to keep whole: its file is still named and refused with the reason.
            let boundary = "parley-boundary"
            var form = Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.pdf\"\r\n\r\n".utf8)
            form += Data(repeating: 0x25, count: 75_000) + Data("\r\n--\(boundary)--\r\n".utf8)
            let cut = try await parley.post(
                documents, raw: form, contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(cut.status == 201)
            #expect(cut.json?["source"]?.stringValue == "scan.pdf")
            #expect(cut.json?["status"]?.stringValue == "failed")
            #expect(cut.json?["error"]?.stringValue?.contains("over the limit of 4096 bytes") == true)

            // Far over the limit: refused outright, and no document is made.
            let huge = try await parley.post(
                documents + "?filename=huge.bin", raw: Data(count: 200_000), contentType: "application/octet-stream")
            #expect(huge.status == 413)
            #expect(try await parley.get(documents).json?["items"]?.arrayValue?.count == 2)

            // A document that was ready keeps its content when its new version is too large.
            let notes = try await parley.post(
                documents + "?filename=notes.txt", raw: Data("Ferries leave at noon.".utf8), contentType: "text/plain")
            let id = try #require(notes.json?["id"]?.stringValue)
            #expect(try await settled(parley, collection, id)["status"]?.stringValue == "ready")
            let refresh = try await parley.post(
                documents + "?filename=notes.txt", raw: Data(repeating: 0x62, count: 5_000), contentType: "text/plain")
            #expect(refresh.status == 200)
            #expect(refresh.json?["id"]?.stringValue == id)
            #expect(refresh.json?["status"]?.stringValue == "ready")
            #expect(refresh.json?["chunk_count"]?.doubleValue == 1)
            #expect(refresh.json?["refresh_error"]?.stringValue?.contains("over the limit") == true)
            #expect(refresh.json?["refresh_failed_at"]?.stringValue != nil)
            let found = try await parley.post(
                "/api/v1/collections/\(collection)/search", json: ["query": "when do ferries leave"])
            #expect(found.json?["items"]?.arrayValue?.first?["document_id"]?.stringValue == id)
        }
    }

    @Test func aChatWithACollectionAnswersFromItAndStoresTheCitations() async throws {
        try await withMockAndParley { mock, parley in
            let collection = try await newCollection(parley)
            let added = try await parley.post(
                "/api/v1/collections/\(collection)/documents",
                json: [
                    "text": "# Returns\n\nGoods can be returned within 30 days with a receipt.",
                    "title": "Returns policy",
                ])
            _ = try await settled(parley, collection, try #require(added.json?["id"]?.stringValue))
            let chat = try #require(
                try await parley.post("/api/v1/chats", json: ["settings": ["model": "openai/mock-gpt"]]).json?["id"]?
                    .stringValue)
            let attached = try await parley.put(
                "/api/v1/chats/\(chat)/collections", json: ["collection_ids": [.string(collection)]])
            #expect(attached.status == 200)
            #expect(try await parley.get("/api/v1/chats/\(chat)/collections").json?["items"]?.arrayValue?.count == 1)

            let reply = try await parley.post(
                "/api/v1/chats/\(chat)/messages",
                json: ["content": "Can goods be returned? [mock:reply=Yes_within_30_days_[1]]"])
            let events = ParleyClient.events(reply)
            let done = try #require(events.last(where: { $0.name == "done" })?.data)
            let citation = try #require(done["citations"]?.arrayValue?.first)
            #expect(citation["index"]?.doubleValue == 1)
            #expect(citation["title"]?.stringValue == "Returns policy")
            #expect(citation["heading"]?.stringValue == "Returns")
            #expect(citation["snippet"]?.stringValue?.contains("30 days") == true)
            #expect(citation["collection_id"]?.stringValue == collection)

            let sent = try #require(
                mock.recorder.requests.last(where: { $0.path.hasSuffix("/chat/completions") })?.body)
            let system = sent["messages"]?.arrayValue?.first { $0["role"]?.stringValue == "system" }
            #expect(system?["content"]?.stringValue?.contains("[1] Returns policy") == true)

            let stored = try await parley.get("/api/v1/chats/\(chat)")
            #expect(stored.json?["messages"]?.arrayValue?.last?["citations"]?.arrayValue?.count == 1)
        }
    }

    @Test func oneMessageCanAskACollectionAndUnknownCollectionsAreRefused() async throws {
        try await withMockAndParley { _, parley in
            let collection = try await newCollection(parley)
            let added = try await parley.post(
                "/api/v1/collections/\(collection)/documents", json: ["text": "The wifi password is heron42."])
            _ = try await settled(parley, collection, try #require(added.json?["id"]?.stringValue))
            let chat = try #require(
                try await parley.post("/api/v1/chats", json: ["settings": ["model": "openai/mock-gpt"]]).json?["id"]?
                    .stringValue)
            let missing = try await parley.post(
                "/api/v1/chats/\(chat)/messages",
                json: ["content": "wifi?", "collection_ids": ["nope"], "stream": false])
            #expect(missing.status == 404)
            let answered = try await parley.post(
                "/api/v1/chats/\(chat)/messages",
                json: [
                    "content": "What is the wifi password?", "collection_ids": [.string(collection)], "stream": false,
                ])
            #expect(answered.status == 200)
            #expect(answered.json?["message"]?["citations"]?.arrayValue?.count == 1)
            let next = try await parley.post(
                "/api/v1/chats/\(chat)/messages", json: ["content": "What is the wifi password?", "stream": false])
            #expect(next.json?["message"]?["citations"] == nil)
        }
    }

    @Test func anyProvidersEmbeddingsEndpointCanMakeTheVectors() async throws {
        try await withMockAndParley({ $0.knowledge.embeddingModel = "ollama/mock-embed:latest" }) { mock, parley in
            let collection = try await newCollection(parley)
            let added = try await parley.post(
                "/api/v1/collections/\(collection)/documents", json: ["text": "Herons nest in tall trees by the lake."])
            let document = try await settled(parley, collection, try #require(added.json?["id"]?.stringValue))
            #expect(document["status"]?.stringValue == "ready", "\(document)")
            #expect(mock.recorder.requests.contains { $0.path.hasSuffix("embed") })
            let stored = try await parley.get("/api/v1/collections/\(collection)")
            #expect(stored.json?["embedding_model"]?.stringValue == "ollama/mock-embed:latest")
            let found = try await parley.post(
                "/api/v1/collections/\(collection)/search", json: ["query": "where do herons nest", "mode": "vector"])
            #expect(found.json?["items"]?.arrayValue?.first?["vector_rank"]?.doubleValue == 1)
        }
    }
}
