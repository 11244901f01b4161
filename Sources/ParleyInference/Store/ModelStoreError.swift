/// Why pulling, listing or removing a model failed. The message says what to do about it.
public struct ModelStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    fileprivate enum Code: Hashable, Sendable {
        case invalidReference
        case notFound
        case http(status: Int)
        case transfer
        case notGGUF
        case archive
        case checksum
        case pip
        case busy
        case io
    }

    /// What kind of failure this is.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        fileprivate let code: Code

        /// The argument names no known model, URL, Hugging Face file or local path.
        public static let invalidReference = Kind(code: .invalidReference)
        /// The model, file or URL does not exist (HTTP 404, missing path, package not on the index).
        public static let notFound = Kind(code: .notFound)
        /// The server answered with another error status.
        public static let http = Kind(code: .http(status: 0))
        /// The download broke off; pulling again resumes it.
        public static let transfer = Kind(code: .transfer)
        /// The file is not a GGUF model.
        public static let notGGUF = Kind(code: .notGGUF)
        /// The wheel is not a readable zip, or lacks the model.
        public static let archive = Kind(code: .archive)
        /// The content does not match its recorded checksum.
        public static let checksum = Kind(code: .checksum)
        /// pip failed.
        public static let pip = Kind(code: .pip)
        /// Another pull of the same file is running.
        public static let busy = Kind(code: .busy)
        /// Reading or writing the models directory failed.
        public static let io = Kind(code: .io)

        public static func == (left: Kind, right: Kind) -> Bool {
            switch (left.code, right.code) {
            case (.http, .http): return true
            default: return left.code == right.code
            }
        }

        public func hash(into hasher: inout Hasher) {
            if case .http = code { hasher.combine("http") } else { hasher.combine(code) }
        }

        public var description: String {
            switch code {
            case .invalidReference: return "invalid model reference"
            case .notFound: return "not found"
            case .http(let status): return status == 0 ? "HTTP error" : "HTTP \(status)"
            case .transfer: return "download interrupted"
            case .notGGUF: return "not a GGUF file"
            case .archive: return "bad wheel"
            case .checksum: return "checksum mismatch"
            case .pip: return "pip failed"
            case .busy: return "pull in progress"
            case .io: return "file error"
            }
        }
    }

    private let code: Code
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var kind: Kind { Kind(code: code) }

    /// The HTTP status, for `.http` and HTTP `.notFound` errors.
    public var httpStatus: Int? {
        if case .http(let status) = code { return status }
        return nil
    }

    public static func invalidReference(_ message: String) -> ModelStoreError {
        ModelStoreError(.invalidReference, message)
    }
    public static func notFound(_ message: String) -> ModelStoreError { ModelStoreError(.notFound, message) }
    public static func http(status: Int, _ message: String) -> ModelStoreError {
        ModelStoreError(.http(status: status), message)
    }
    public static func transfer(_ message: String) -> ModelStoreError { ModelStoreError(.transfer, message) }
    public static func notGGUF(_ message: String) -> ModelStoreError { ModelStoreError(.notGGUF, message) }
    public static func archive(_ message: String) -> ModelStoreError { ModelStoreError(.archive, message) }
    public static func checksum(_ message: String) -> ModelStoreError { ModelStoreError(.checksum, message) }
    public static func pip(_ message: String) -> ModelStoreError { ModelStoreError(.pip, message) }
    public static func busy(_ message: String) -> ModelStoreError { ModelStoreError(.busy, message) }
    public static func io(_ message: String) -> ModelStoreError { ModelStoreError(.io, message) }

    public var description: String { "\(kind): \(message)" }
}
