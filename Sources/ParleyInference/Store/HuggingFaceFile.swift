import Foundation

/// A file in a Hugging Face repository, at a revision.
public struct HuggingFaceFile: Sendable, Hashable, CustomStringConvertible {
    public var owner: String
    public var repository: String
    /// The path inside the repository; may contain folders.
    public var path: String
    /// A branch, tag or commit; `main` unless given.
    public var revision: String

    public init(owner: String, repository: String, path: String, revision: String = "main") {
        self.owner = owner
        self.repository = repository
        self.path = path
        self.revision = revision
    }

    /// Reads `OWNER/REPO/FILE[@REVISION]`.
    public init(parsing text: String) throws {
        var reference = Substring(text)
        var revision = "main"
        if let at = reference.lastIndex(of: "@") {
            revision = String(reference[reference.index(after: at)...])
            reference = reference[..<at]
        }
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts.allSatisfy({ !$0.isEmpty }), !revision.isEmpty else {
            throw ModelStoreError.invalidReference(
                "'hf:\(text)' should read hf:OWNER/REPO/FILE or hf:OWNER/REPO/FILE@REVISION")
        }
        self.init(
            owner: String(parts[0]), repository: String(parts[1]), path: parts[2...].joined(separator: "/"),
            revision: revision)
    }

    public var fileName: String { String(path.split(separator: "/").last ?? Substring(path)) }

    /// Hugging Face's download URL: `ENDPOINT/OWNER/REPO/resolve/REVISION/PATH`.
    public func downloadURL(endpoint: URL) -> URL {
        var url = endpoint
        for component in [owner, repository, "resolve", revision] + path.split(separator: "/").map(String.init) {
            url.appendPathComponent(component)
        }
        return url
    }

    public var description: String { "hf:\(owner)/\(repository)/\(path)@\(revision)" }
}
