/// What a GGUF file says about its model, for listings (`/v1/models`, Ollama's `/api/tags` and
/// `/api/show`). Reading it parses the header only.
public struct ModelFileInfo: Sendable, Hashable {
    public var path: String
    public var fileSize: Int
    /// `general.architecture` (`llama`).
    public var architecture: String
    /// `general.name`, if set.
    public var name: String?
    /// Number of weights.
    public var parameterCount: Int
    /// Short size label: `general.size_label` (`135M`) or one computed from the count.
    public var parameterSize: String
    /// The quantisation of most of the weights (`Q4_1`).
    public var quantization: String
    /// The context the model was trained for.
    public var contextLength: Int?
    public var embeddingLength: Int?
    /// The Jinja chat template, if the file has one.
    public var chatTemplate: String?
    /// Whether the engine can run it.
    public var isSupported: Bool

    public init(file: GGUFFile) {
        path = file.path
        fileSize = file.fileSize
        let architecture = file.metadata["general.architecture"]?.string ?? "unknown"
        self.architecture = architecture
        name = file.metadata["general.name"]?.string
        parameterCount = file.tensors.reduce(0) { $0 + $1.elementCount }
        parameterSize = file.metadata["general.size_label"]?.string ?? Self.sizeLabel(parameterCount)
        quantization = Self.fileTypeName(file.metadata["general.file_type"]?.int) ?? Self.dominantType(file)
        contextLength = file.metadata["\(architecture).context_length"]?.int
        embeddingLength = file.metadata["\(architecture).embedding_length"]?.int
        chatTemplate = file.metadata["tokenizer.chat_template"]?.string
        isSupported =
            ModelArchitectures.names.contains(architecture)
            && file.tensors.allSatisfy { $0.shape.count < 2 || Quantization.isSupported($0.type) }
    }

    /// Opens the file to read its header.
    public init(path: String) throws {
        self.init(file: try GGUFFile(path: path))
    }

    static func sizeLabel(_ count: Int) -> String {
        switch count {
        case 1_000_000_000...: return formatted(Double(count) / 1e9) + "B"
        case 1_000_000...: return formatted(Double(count) / 1e6) + "M"
        default: return formatted(Double(count) / 1e3) + "K"
        }
    }

    private static func formatted(_ value: Double) -> String {
        value >= 10 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
    }

    /// Names of llama.cpp's `general.file_type` values.
    private static func fileTypeName(_ value: Int?) -> String? {
        let names: [Int: String] = [
            0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S",
            12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K",
            32: "BF16",
        ]
        return value.flatMap { names[$0] }
    }

    private static func dominantType(_ file: GGUFFile) -> String {
        var bytes: [GGMLType: Int] = [:]
        for tensor in file.tensors where tensor.shape.count >= 2 { bytes[tensor.type, default: 0] += tensor.byteCount }
        return bytes.max { $0.value < $1.value }?.key.name ?? "unknown"
    }
}
