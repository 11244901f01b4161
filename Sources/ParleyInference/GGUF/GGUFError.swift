/// Why a GGUF file could not be read. The message names the file and the problem, so that it can be shown as is.
public struct GGUFError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case cannotOpen
        case truncated
        case notGGUF
        case unsupportedVersion
        case corrupt
        case unsupportedTensorType
    }

    private let code: Code
    /// The file that could not be read.
    public let path: String
    /// What is wrong with it.
    public let problem: String

    private init(_ code: Code, path: String, problem: String) {
        self.code = code
        self.path = path
        self.problem = problem
    }

    /// The file could not be opened or mapped (missing, unreadable, a directory, empty).
    public static func cannotOpen(_ path: String, _ problem: String) -> GGUFError {
        GGUFError(.cannotOpen, path: path, problem: problem)
    }

    /// The file ends before something it announces.
    public static func truncated(_ path: String, _ problem: String) -> GGUFError {
        GGUFError(.truncated, path: path, problem: problem)
    }

    /// The file does not start with the GGUF magic.
    public static func notGGUF(_ path: String) -> GGUFError {
        GGUFError(.notGGUF, path: path, problem: "not a GGUF file (bad magic)")
    }

    public static func unsupportedVersion(_ path: String, _ version: UInt32) -> GGUFError {
        GGUFError(
            .unsupportedVersion, path: path, problem: "unsupported GGUF version \(version) (2 and 3 are supported)")
    }

    /// A value in the file is impossible (a bad type code, a misaligned tensor, a range outside the file).
    public static func corrupt(_ path: String, _ problem: String) -> GGUFError {
        GGUFError(.corrupt, path: path, problem: problem)
    }

    public static func unsupportedTensorType(_ path: String, type: UInt32, tensor: String) -> GGUFError {
        GGUFError(.unsupportedTensorType, path: path, problem: "unsupported tensor type \(type) in tensor \(tensor)")
    }

    public var isTruncated: Bool { code == .truncated }
    public var isUnsupportedTensorType: Bool { code == .unsupportedTensorType }

    public var description: String { "cannot read GGUF file \(path): \(problem)" }
}
