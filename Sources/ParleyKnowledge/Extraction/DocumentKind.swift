import Foundation

/// What a document's bytes are, from its declared content type, its name and its first bytes.
public enum DocumentKind: String, Sendable, CaseIterable {
    case pdf
    case csv
    case html
    case markdown
    case text

    /// Decides the kind; throws for a type Parley cannot index (images, archives, binaries).
    ///
    /// - Parameters:
    ///   - contentType: the declared type (`Content-Type`), or nil.
    ///   - name: a file name or URL path, for its extension.
    ///   - head: the first bytes of the content.
    public static func detect(contentType: String?, name: String, head: some Collection<UInt8>) throws -> DocumentKind {
        let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let ext =
            (name.split(separator: "?").first.map(String.init) ?? name).split(separator: ".").last?.lowercased() ?? ""
        let pdfMagic = head.starts(with: Array("%PDF-".utf8))
        if pdfMagic || type == "application/pdf" {
            guard pdfMagic else { throw ExtractionError("the content is declared a PDF but is not one") }
            return .pdf
        }
        let kind: DocumentKind
        switch type {
        case "text/csv", "application/csv", "text/comma-separated-values": kind = .csv
        case "text/html", "application/xhtml+xml": kind = .html
        case "text/markdown", "text/x-markdown": kind = .markdown
        case "text/plain", "application/octet-stream", "", "binary/octet-stream":
            switch ext {
            case "csv": kind = .csv
            case "md", "markdown": kind = .markdown
            case "html", "htm": kind = .html
            case "pdf": throw ExtractionError("the file is named .pdf but is not a PDF")
            default:
                let start = String(decoding: head.prefix(512), as: UTF8.self).lowercased()
                kind = start.contains("<!doctype html") || start.contains("<html") ? .html : .text
            }
        default:
            guard type.hasPrefix("text/") else { throw ExtractionError.unsupported(type) }
            kind = .text
        }
        if head.prefix(8192).contains(0) { throw ExtractionError.binary }
        return kind
    }

    /// Reads the file at `path` as this kind.
    public func extract(fileAt path: String, title: String?, progress: (Int) throws -> Void = { _ in }) throws
        -> ExtractedText
    {
        switch self {
        case .pdf: return try PDFExtractor.extract(fileAt: path, title: title)
        case .csv: return try CSVExtractor.extract(fileAt: path, title: title, progress: progress)
        case .html, .markdown, .text:
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ExtractionError.unreadable("no file")
            }
            guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
                throw ExtractionError.binary
            }
            if self == .html {
                let page = HTMLExtractor.extract(text)
                return ExtractedText(title: page.title ?? title, sections: page.sections)
            }
            return MarkdownExtractor.extract(text, title: title)
        }
    }
}
