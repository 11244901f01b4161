import Foundation
import ParleyCore
import ParleyKnowledge
import ParleyStorage
import ParleyStorageTesting
import ParleyTesting
import Testing

@Suite("Fetching URLs")
struct FetchingTests {
    static let article = """
        <!doctype html><html><head><title>Tide tables</title><script>var x = "<p>not text</p>";</script>
        <style>p { color: red }</style></head>
        <body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
        <main><h1>Tides</h1><p>High tide at Porthcawl is at 06:12 &amp; 18:40.</p>
        <h2>Spring tides</h2><p>Spring tides follow the full moon.</p></main>
        <footer>Copyright the harbour office</footer></body></html>
        """

    func ingest(_ url: String, allow: Bool = true, configure: (inout KnowledgeSettings) -> Void = { _ in }) async throws
        -> KnowledgeDocumentRecord
    {
        var result: KnowledgeDocumentRecord?
        try await withStore(.sqlite) { store in
            try await withKnowledge(
                store,
                configure: { settings in
                    if !allow { settings.allowNetworks = [] }
                    configure(&settings)
                }
            ) { knowledge in
                let alice = try await store.createUser(username: "alice")
                let collection = try await store.createCollection(ownerID: alice.id, name: "Web")
                let added = try await store.addDocument(
                    collectionID: collection.id, userID: alice.id,
                    NewDocument(sourceKind: "url", source: url, title: url))
                try await knowledge.ingestAll()
                result = try await store.document(id: added.document.id, collectionID: collection.id, userID: alice.id)
            }
        }
        return try #require(result)
    }

    @Test func aPageIsReadAsItsTitleAndTheTextUnderItsHeadings() async throws {
        try await DocumentServer(pages: ["/tides": .text(Self.article), "/old": .redirect(to: "/tides")]).run { base in
            let document = try await ingest(base + "/old")
            #expect(document.status == .ready, "\(document.error ?? "")")
            #expect(document.title == "Tide tables")
            #expect(document.kind == "html")
            #expect(document.url == base + "/tides")
        }
        let page = HTMLExtractor.extract(Self.article)
        #expect(page.title == "Tide tables")
        #expect(page.sections.map(\.heading) == ["Tides", "Spring tides"])
        #expect(page.sections[0].text == "High tide at Porthcawl is at 06:12 & 18:40.")
        #expect(!page.sections.map(\.text).joined().contains("Home"))
        #expect(!page.sections.map(\.text).joined().contains("not text"))
        #expect(!page.sections.map(\.text).joined().contains("Copyright"))
    }

    @Test func loopbackIsRefusedUnlessAllowed() async throws {
        try await DocumentServer(pages: ["/tides": .text(Self.article)]).run { base in
            let document = try await ingest(base + "/tides", allow: false)
            #expect(document.status == .failed)
            #expect(document.error?.contains("refused range (127.0.0.0/8)") == true, "\(document.error ?? "")")
        }
    }

    @Test func aRedirectToARefusedAddressIsRefused() async throws {
        let metadata = "http://169.254.169.254/latest/meta-data/"
        try await DocumentServer(pages: ["/go": .redirect(to: metadata)]).run { base in
            let document = try await ingest(base + "/go")
            #expect(document.status == .failed)
            #expect(document.error?.contains("169.254.169.254") == true, "\(document.error ?? "")")
        }
    }

    @Test func errorsAndLimitsFailTheDocumentWithAReason() async throws {
        let pages: [String: DocumentServer.Page] = [
            "/big": .text(String(repeating: "a", count: 10_000), type: "text/plain"),
            "/binary": DocumentServer.Page(contentType: "application/octet-stream", body: Data([0, 1, 2, 3, 0, 5])),
            "/image": DocumentServer.Page(contentType: "image/png", body: Data([0x89, 0x50])),
            "/slow": DocumentServer.Page(contentType: "text/plain", body: Data("late".utf8), delay: .seconds(3)),
            "/loop": .redirect(to: "/loop"),
        ]
        try await DocumentServer(pages: pages).run { base in
            let expectations = [
                ("/missing", "404"), ("/big", "over the limit"), ("/binary", "binary"),
                ("/image", "unsupported content type 'image/png'"), ("/slow", "timed out"), ("/loop", "redirects"),
            ]
            for (path, reason) in expectations {
                let document = try await ingest(base + path) { settings in
                    settings.maxDocumentBytes = 4096
                    // Only the slow page should time out, however loaded the machine running the tests.
                    settings.fetchTimeout = path == "/slow" ? .seconds(1) : .seconds(60)
                }
                #expect(document.status == .failed, "\(path)")
                #expect(document.error?.contains(reason) == true, "\(path): \(document.error ?? "")")
            }
        }
        // Nothing listens on port 9 of loopback.
        let unreachable = try await ingest("http://127.0.0.1:9/x")
        #expect(unreachable.error?.contains("cannot reach") == true, "\(unreachable.error ?? "")")
    }

    @Test func privateLinkLocalAndMetadataRangesAreRefusedAndAllowListsOpenThem() {
        let policy = AddressPolicy()
        for address in [
            "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "::1", "fe80::1",
            "fd00:ec2::254", "100.64.0.1", "0.0.0.0", "::ffff:127.0.0.1", "224.0.0.1",
        ] {
            #expect(policy.refusal(for: IPAddress(address)!) != nil, "\(address)")
        }
        for address in ["93.184.216.34", "2606:2800:220:1::1", "172.32.0.1", "8.8.8.8"] {
            #expect(policy.refusal(for: IPAddress(address)!) == nil, "\(address)")
        }
        let allowed = AddressPolicy(allowed: [IPNetwork("10.1.0.0/16")!])
        #expect(allowed.refusal(for: IPAddress("10.1.2.3")!) == nil)
        #expect(allowed.refusal(for: IPAddress("10.2.0.1")!) != nil)
    }
}
