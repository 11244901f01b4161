/// Why an embedding model could not be loaded or run. The message names the file and the problem,
/// so that it can be shown as is.
public struct EmbeddingModelError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case missingFile
        case corrupt
        case unsupported
        case notInstalled
    }

    private let code: Code
    /// The file or folder concerned.
    public let path: String
    /// What is wrong with it.
    public let problem: String

    private init(_ code: Code, path: String, problem: String) {
        self.code = code
        self.path = path
        self.problem = problem
    }

    /// A file the model needs is not there or cannot be read.
    public static func missingFile(_ path: String, _ problem: String = "no such file") -> EmbeddingModelError {
        EmbeddingModelError(.missingFile, path: path, problem: problem)
    }

    /// A file is there but its content is impossible (bad header, range outside the file, wrong shape).
    public static func corrupt(_ path: String, _ problem: String) -> EmbeddingModelError {
        EmbeddingModelError(.corrupt, path: path, problem: problem)
    }

    /// A valid file describes something this encoder does not run (another architecture, a tensor type).
    public static func unsupported(_ path: String, _ problem: String) -> EmbeddingModelError {
        EmbeddingModelError(.unsupported, path: path, problem: problem)
    }

    /// The model is not installed and could not be installed.
    public static func notInstalled(_ path: String, _ problem: String) -> EmbeddingModelError {
        EmbeddingModelError(.notInstalled, path: path, problem: problem)
    }

    public var isMissingFile: Bool { code == .missingFile }
    public var isCorrupt: Bool { code == .corrupt }

    public var description: String {
        switch code {
        case .notInstalled: "embedding model not installed at \(path): \(problem)"
        default: "cannot load embedding model file \(path): \(problem)"
        }
    }
}
