import Foundation
import Testing

@testable import ParleyInference

/// Pulls over real HTTP from a server on a loopback port.
@Suite("Pulling models over HTTP")
struct ModelStorePullTests {
    /// Resumes at once; the tests' connections drop on purpose.
    static let quick = PullOptions(retryDelay: .milliseconds(10))
    /// Gives up at the first broken connection, to see what is left behind.
    static let once = PullOptions(retries: 0)
    final class ProgressLog: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [PullProgress] = []

        var all: [PullProgress] { lock.withLock { events } }

        func record(_ progress: PullProgress) { lock.withLock { events.append(progress) } }
    }

    @Test func downloadsVerifiesAndInstalls() async throws {
        let data = try ScratchDirectory()
        let server = try TestHTTPServer()
        let content = StoreFixtures.fakeGGUF(size: 600_000)
        server.serve("/files/tiny.Q4_0.gguf", content)
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        let log = ProgressLog()
        let model = try await store.pull(server.url("/files/tiny.Q4_0.gguf").absoluteString, options: Self.quick) {
            log.record($0)
        }
        #expect(model.name == "tiny.Q4_0")
        #expect(model.fileName == "tiny.Q4_0.gguf")
        #expect(model.sizeBytes == Int64(content.count))
        #expect(model.sha256 == StoreFixtures.sha256(content))
        #expect(try StoreFixtures.sha256(of: model.fileURL) == StoreFixtures.sha256(content))
        #expect(data.visibleFiles() == ["manifest.json", "tiny.Q4_0.gguf"])
        let downloads = log.all.filter { $0.phase == .downloading }
        #expect(downloads.last?.completedBytes == Int64(content.count))
        #expect(downloads.allSatisfy { $0.totalBytes == Int64(content.count) })
        #expect(zip(downloads, downloads.dropFirst()).allSatisfy { $0.completedBytes <= $1.completedBytes })
        #expect(try store.list() == [model])
        // Pulling again finds it installed and fetches nothing.
        let requestsBefore = server.requests.count
        let again = try await store.pull(server.url("/files/tiny.Q4_0.gguf").absoluteString)
        #expect(again.sha256 == model.sha256)
        #expect(server.requests.count == requestsBefore)
    }

    @Test func resumesAnInterruptedDownloadWithARangeRequest() async throws {
        let data = try ScratchDirectory()
        let server = try TestHTTPServer()
        let content = StoreFixtures.fakeGGUF(size: 1_000_000)
        server.serve("/m.gguf", content, cutAfter: 300_000)
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        let url = server.url("/m.gguf").absoluteString
        await #expect {
            try await store.pull(url, options: Self.once)
        } throws: { error in
            (error as? ModelStoreError)?.kind == .transfer
        }
        // Only the partial file is there, holding what arrived.
        #expect(data.visibleFiles() == ["m.gguf.partial"])
        let partialSize = ModelFiles.size(of: store.directory.appendingPathComponent("m.gguf.partial"))
        #expect(partialSize > 0 && partialSize <= 300_000)

        let model = try await store.pull(url, options: Self.quick)
        let requests = server.requests(to: "/m.gguf")
        #expect(requests.count >= 2)
        #expect(requests[0].headers["range"] == nil)
        #expect(requests[1].headers["range"] == "bytes=\(partialSize)-")
        #expect(model.sha256 == StoreFixtures.sha256(content))
        #expect(try StoreFixtures.sha256(of: model.fileURL) == StoreFixtures.sha256(content))
        #expect(data.visibleFiles() == ["m.gguf", "manifest.json"])
    }

    @Test func resumesOnItsOwnWhenTheConnectionDrops() async throws {
        let data = try ScratchDirectory()
        let server = try TestHTTPServer()
        let content = StoreFixtures.fakeGGUF(size: 800_000)
        server.serve("/m.gguf", content, cutAfter: 200_000, cutFirst: 2)
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        let model = try await store.pull(server.url("/m.gguf").absoluteString, options: Self.quick)
        let ranges = server.requests(to: "/m.gguf").map { $0.headers["range"] }
        #expect(ranges.count >= 3 && ranges[0] == nil && ranges.dropFirst().allSatisfy { $0 != nil })
        #expect(try StoreFixtures.sha256(of: model.fileURL) == StoreFixtures.sha256(content))
        #expect(data.visibleFiles() == ["m.gguf", "manifest.json"])
    }

    @Test func restartsWhenTheServerIgnoresTheRange() async throws {
        let data = try ScratchDirectory()
        let server = try TestHTTPServer()
        let content = StoreFixtures.fakeGGUF(size: 400_000)
        server.serve("/m.gguf", content, ignoreRange: true, cutAfter: 100_000)
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        await #expect(throws: ModelStoreError.self) {
            try await store.pull(server.url("/m.gguf").absoluteString, options: Self.once)
        }
        let model = try await store.pull(server.url("/m.gguf").absoluteString, options: Self.quick)
        #expect(server.requests(to: "/m.gguf").last?.headers["range"] != nil)
        #expect(model.sizeBytes == 400_000)
        #expect(try StoreFixtures.sha256(of: model.fileURL) == StoreFixtures.sha256(content))
    }

    @Test func startsOverWhenThePartialFileIsTooLong() async throws {
        let data = try ScratchDirectory()
        let server = try TestHTTPServer()
        let content = StoreFixtures.fakeGGUF(size: 50_000)
        server.serve("/m.gguf", content)
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
        try StoreFixtures.fakeGGUF(size: 60_000, seed: 7).write(
            to: store.directory.appendingPathComponent("m.gguf.partial"))
        let model = try await store.pull(server.url("/m.gguf").absoluteString, options: Self.quick)
        #expect(server.requests(to: "/m.gguf").prefix(2).map { $0.headers["range"] } == ["bytes=60000-", nil])
        #expect(try StoreFixtures.sha256(of: model.fileURL) == StoreFixtures.sha256(content))
    }

    @Test func notFoundIsClearAndLeavesNothing() async throws {
        let data = try ScratchDirectory()
        let server = try TestHTTPServer()
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        let url = server.url("/missing/model.gguf").absoluteString
        await #expect {
            try await store.pull(url, options: Self.quick)
        } throws: { error in
            guard let error = error as? ModelStoreError else { return false }
            return error.kind == .notFound && error.message.contains("HTTP 404") && error.message.contains(url)
        }
        #expect(data.visibleFiles().isEmpty)
        #expect(try store.list().isEmpty)
    }

    @Test func contentThatIsNotGGUFIsRefusedAndRemoved() async throws {
        let data = try ScratchDirectory()
        let server = try TestHTTPServer()
        server.serve("/page.gguf", Data(String(repeating: "<html>login required</html>\n", count: 100).utf8))
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        await #expect {
            try await store.pull(server.url("/page.gguf").absoluteString, options: Self.quick)
        } throws: { error in
            (error as? ModelStoreError)?.kind == .notGGUF
        }
        #expect(data.visibleFiles().isEmpty)
    }

    @Test func serverErrorsKeepWhatWasDownloaded() async throws {
        let data = try ScratchDirectory()
        let server = try TestHTTPServer()
        server.handle("/busy.gguf") { _, _ in TestHTTPServer.Response(status: 500) }
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        await #expect {
            try await store.pull(server.url("/busy.gguf").absoluteString, options: Self.quick)
        } throws: { error in
            (error as? ModelStoreError)?.httpStatus == 500
        }
        #expect(data.visibleFiles().isEmpty)
    }

    @Test func huggingFaceReferencesUseTheResolvePath() async throws {
        let data = try ScratchDirectory()
        let server = try TestHTTPServer()
        let content = StoreFixtures.fakeGGUF(size: 20_000)
        server.serve("/SomeOrg/Tiny-GGUF/resolve/main/tiny-q8_0.gguf", content)
        server.serve("/SomeOrg/Tiny-GGUF/resolve/abc123/sub/tiny-f16.gguf", content)
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        let options = PullOptions(environment: [
            "PARLEY_HF_ENDPOINT": server.baseURL.absoluteString, "HF_TOKEN": "hf_test",
        ])
        let model = try await store.pull("hf:SomeOrg/Tiny-GGUF/tiny-q8_0.gguf", options: options)
        #expect(model.name == "tiny-q8_0")
        #expect(model.source == "hf:SomeOrg/Tiny-GGUF/tiny-q8_0.gguf@main")
        let pinned = try await store.pull("hf:SomeOrg/Tiny-GGUF/sub/tiny-f16.gguf@abc123", options: options)
        #expect(pinned.fileName == "tiny-f16.gguf")
        let requests = server.requests
        #expect(
            requests.map(\.path) == [
                "/SomeOrg/Tiny-GGUF/resolve/main/tiny-q8_0.gguf", "/SomeOrg/Tiny-GGUF/resolve/abc123/sub/tiny-f16.gguf",
            ])
        #expect(requests.allSatisfy { $0.headers["authorization"] == "Bearer hf_test" })
    }

    @Test func followsRedirectsAsHuggingFaceDoes() async throws {
        let data = try ScratchDirectory()
        let server = try TestHTTPServer()
        let content = StoreFixtures.fakeGGUF(size: 300_000)
        // To another host name, as Hugging Face sends downloads to its CDN.
        let cdn = "http://localhost:\(server.port)/cdn/blob-r"
        server.handle("/org/repo/resolve/main/r.gguf") { _, _ in
            TestHTTPServer.Response(status: 302, headers: [("Location", cdn)])
        }
        server.serve("/cdn/blob-r", content, cutAfter: 100_000)
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        var options = PullOptions(huggingFaceEndpoint: server.baseURL, huggingFaceToken: "hf_secret", retries: 0)
        await #expect(throws: ModelStoreError.self) { try await store.pull("hf:org/repo/r.gguf", options: options) }
        options.retries = 3
        options.retryDelay = .milliseconds(10)
        let model = try await store.pull("hf:org/repo/r.gguf", options: options)
        #expect(try StoreFixtures.sha256(of: model.fileURL) == StoreFixtures.sha256(content))
        let resolves = server.requests(to: "/org/repo/resolve/main/r.gguf")
        let blobs = server.requests(to: "/cdn/blob-r")
        #expect(resolves.count >= 2 && blobs.count == resolves.count)
        #expect(resolves.allSatisfy { $0.headers["authorization"] == "Bearer hf_secret" })
        #expect(blobs.allSatisfy { $0.headers["authorization"] == nil }, "the token stays with Hugging Face")
        // The resumed request keeps its Range through the redirect.
        #expect(blobs[1].headers["range"] != nil && blobs[1].headers["range"] == resolves[1].headers["range"])
    }

    @Test func aSecondPullOfTheSameFileIsRefusedWhileTheFirstRuns() async throws {
        let data = try ScratchDirectory()
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
        let held = try store.lockPull(of: "x.gguf")
        #expect {
            try store.lockPull(of: "x.gguf")
        } throws: { error in
            (error as? ModelStoreError)?.kind == .busy
        }
        withExtendedLifetime(held) {}
    }
}
