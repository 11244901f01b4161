/// Why a document's content could not be read; the message is shown as the document's failure reason.
public struct ExtractionError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }

    public static let binary = ExtractionError("the file is binary, not text, HTML, Markdown, CSV or PDF")
    public static let empty = ExtractionError("the document has no text")
    public static func unreadable(_ reason: String) -> ExtractionError {
        ExtractionError("cannot read the document: \(reason)")
    }
    public static func malformed(_ reason: String) -> ExtractionError { ExtractionError(reason) }
    public static func unsupported(_ type: String) -> ExtractionError {
        ExtractionError("unsupported content type '\(type)' (expected HTML, PDF, CSV, Markdown or plain text)")
    }
}
