import ParleyCore

/// How ingestion and retrieval behave (the server reads these from `knowledge.*` in its configuration).
public struct KnowledgeSettings: Sendable {
    /// Tokens per chunk, and tokens shared by neighbouring chunks.
    public var chunkSize = 200
    public var chunkOverlap = 40
    /// The most bytes of one document (upload or download).
    public var maxDocumentBytes = 32 * 1024 * 1024
    public var fetchTimeout: Duration = .seconds(30)
    public var maxRedirects = 5
    /// Networks that may be fetched from although they are private or local (for tests, intranets).
    public var allowNetworks: [IPNetwork] = []
    public var topK = 5
    public var minScore = 0.0
    /// Texts per embedding call.
    public var embeddingBatch = 32
    /// How long a worker owns a job without reporting progress before another replica may take it over.
    public var leaseMilliseconds: Int64 = 60_000
    /// Attempts before a job that keeps stopping (a server killed mid-way) is failed.
    public var maxAttempts = 3

    public init() {}
}
