/// Where a document is in its ingestion.
public enum DocumentStatus: String, Sendable, Codable, CaseIterable {
    case queued
    case ingesting
    case ready
    case failed
}

/// One document of a collection: a fetched URL, an uploaded file or pasted text.
public struct KnowledgeDocumentRecord: Sendable, Hashable, Codable {
    public var id: String
    public var collectionID: String
    /// `url`, `upload` or `text`.
    public var sourceKind: String
    /// The URL, or the file name.
    public var source: String
    /// The URL the content came from after redirects (nil for uploads).
    public var url: String?
    public var title: String
    public var contentType: String?
    /// What it was read as: pdf, csv, html, markdown or text.
    public var kind: String?
    public var contentHash: String?
    public var sizeBytes: Int64?
    public var status: DocumentStatus
    /// Why ingestion failed (status `failed`: the document has no chunks).
    public var error: String?
    /// 0 to 1.
    public var progress: Double
    public var chunkCount: Int
    public var pageCount: Int?
    public var rowCount: Int?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    /// Why the latest refresh failed (new content for a document that was ready, which keeps its chunks
    /// and stays ready), and when; nil once a refresh succeeds.
    public var refreshError: String?
    public var refreshFailedAt: Timestamp?

    enum CodingKeys: String, CodingKey {
        case id, source, url, title, kind, status, error, progress
        case collectionID = "collection_id"
        case sourceKind = "source_kind"
        case contentType = "content_type"
        case contentHash = "content_hash"
        case sizeBytes = "size_bytes"
        case chunkCount = "chunk_count"
        case pageCount = "page_count"
        case rowCount = "row_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case refreshError = "refresh_error"
        case refreshFailedAt = "refresh_failed_at"
    }
}

/// A document to add to a collection.
public struct NewDocument: Sendable {
    public var sourceKind: String
    public var source: String
    public var title: String
    public var contentType: String?
    /// The bytes of an upload (nil for a URL, which the worker fetches).
    public var content: [UInt8]?
    public var contentHash: String?

    public init(
        sourceKind: String, source: String, title: String, contentType: String? = nil, content: [UInt8]? = nil,
        contentHash: String? = nil
    ) {
        self.sourceKind = sourceKind
        self.source = source
        self.title = title
        self.contentType = contentType
        self.content = content
        self.contentHash = contentHash
    }
}
