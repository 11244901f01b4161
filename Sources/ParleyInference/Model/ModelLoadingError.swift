/// Why a model file could not be turned into a runnable model.
public struct ModelLoadingError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case unsupportedArchitecture
        case missingMetadata
        case missingTensor
        case badShape
        case unsupportedType
    }

    private let code: Code
    /// The model file.
    public let path: String
    public let problem: String

    private init(_ code: Code, path: String, problem: String) {
        self.code = code
        self.path = path
        self.problem = problem
    }

    public static func unsupportedArchitecture(_ name: String, file: String) -> ModelLoadingError {
        ModelLoadingError(
            .unsupportedArchitecture, path: file,
            problem:
                "unsupported architecture '\(name)' (supported: \(ModelArchitectures.names.joined(separator: ", ")))")
    }

    public static func missingMetadata(_ key: String, file: String) -> ModelLoadingError {
        ModelLoadingError(.missingMetadata, path: file, problem: "missing or invalid metadata \(key)")
    }

    public static func missingTensor(_ name: String, file: String) -> ModelLoadingError {
        ModelLoadingError(.missingTensor, path: file, problem: "missing tensor \(name)")
    }

    public static func badShape(_ name: String, _ shape: [Int], expected: String, file: String) -> ModelLoadingError {
        ModelLoadingError(.badShape, path: file, problem: "tensor \(name) has shape \(shape), expected \(expected)")
    }

    public static func unsupportedType(_ type: GGMLType, tensor: String, file: String) -> ModelLoadingError {
        ModelLoadingError(
            .unsupportedType, path: file,
            problem: "tensor \(tensor) has type \(type.name), which the engine cannot compute with "
                + "(supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0)")
    }

    public var description: String { "cannot load model \(path): \(problem)" }
}
