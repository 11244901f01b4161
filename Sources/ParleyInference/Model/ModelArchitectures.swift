/// The architectures the engine runs, by GGUF `general.architecture`. Adding one is one new model
/// file and one line here.
public enum ModelArchitectures {
    private static let loaders: [String: @Sendable (GGUFFile, ComputePool) throws -> any LanguageModel] = [
        "llama": { file, pool in try LlamaModel(file: file, pool: pool) }
    ]

    /// The supported `general.architecture` values.
    public static var names: [String] { loaders.keys.sorted() }

    /// Builds the model a file describes, reading its weights in place.
    /// - Throws: `ModelLoadingError` when the architecture is unknown or the file lacks what it needs.
    public static func load(_ file: GGUFFile, pool: ComputePool) throws -> any LanguageModel {
        let name = file.metadata["general.architecture"]?.string ?? ""
        guard let loader = loaders[name] else { throw ModelLoadingError.unsupportedArchitecture(name, file: file.path) }
        return try loader(file, pool)
    }
}
