import AsyncHTTPClient
import Foundation
import Logging
import ParleyCore
import ParleyStorage
import ServiceLifecycle

/// Parley's knowledge: what the server holds to ingest documents and to ground answers in them. One per
/// process; the database is shared by every replica.
///
/// As a `Service` it runs the ingestion worker until shutdown, then closes its HTTP client.
public final class KnowledgeBase: Service, Sendable {
    public let store: Store
    public let settings: KnowledgeSettings
    public let embedder: (any TextEmbedder)?
    public let index: VectorIndex
    public let retriever: Retriever
    public let ingestor: Ingestor
    let client: HTTPClient
    let logger: Logger

    /// - Parameters:
    ///   - embedder: the model for vectors; nil searches by full text only.
    ///   - worker: this process's name in job leases (unique per replica).
    public init(
        store: Store, settings: KnowledgeSettings, embedder: (any TextEmbedder)?,
        worker: String = KnowledgeBase.workerName(),
        logger: Logger
    ) {
        self.store = store
        self.settings = settings
        self.embedder = embedder
        self.index = VectorIndex()
        self.retriever = Retriever(store: store, embedder: embedder, index: index)
        self.client = Fetcher.makeClient()
        self.logger = logger
        var limits = Fetcher.Limits()
        limits.maxBytes = settings.maxDocumentBytes
        limits.timeout = settings.fetchTimeout
        limits.maxRedirects = settings.maxRedirects
        let fetcher = Fetcher(client: client, policy: AddressPolicy(allowed: settings.allowNetworks), limits: limits)
        self.ingestor = Ingestor(
            store: store, fetcher: fetcher, embedder: embedder, index: index, settings: settings, worker: worker,
            logger: logger)
    }

    /// A name for this process in job leases: host, process id and a random part.
    public static func workerName() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    }

    /// The background service that runs ingestion jobs.
    public func worker(logger: Logger) -> IngestionWorker {
        IngestionWorker(store: store, ingestor: ingestor, logger: logger)
    }

    public func run() async throws {
        do {
            let started = ContinuousClock.now
            try await retriever.warmUp()
            logger.info(
                "knowledge: vectors loaded",
                metadata: ["parley.knowledge.load_time": "\(ContinuousClock.now - started)"])
        } catch {
            logger.warning(
                "knowledge: cannot load the vectors ahead of searches", metadata: ["parley.error": "\(error)"])
        }
        try await worker(logger: logger).run()
        try await shutdown()
    }

    /// Closes the fetcher's connections.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Searches collections with the configured top-k and minimum score unless `options` says otherwise.
    public func search(_ query: String, in collections: [CollectionRecord], options: Retriever.Options? = nil)
        async throws -> [Retriever.Result]
    {
        try await retriever.search(
            query, in: collections,
            options: options ?? Retriever.Options(topK: settings.topK, minScore: settings.minScore))
    }

    /// Sources for answering `question` from `collections`: a system prompt that numbers them, and the
    /// citations to store with the reply. Nil when nothing relevant was found.
    ///
    /// When vectors cannot be had (the embeddings provider is down), the sources come from full-text
    /// search alone rather than the turn failing.
    public func grounding(for question: String, in collections: [CollectionRecord]) async throws -> Grounding? {
        var options = Retriever.Options(topK: settings.topK, minScore: settings.minScore)
        let results: [Retriever.Result]
        do {
            results = try await search(question, in: collections, options: options)
        } catch let error where !(error is CancellationError) {
            logger.warning(
                "knowledge: hybrid search failed, using full text only", metadata: ["parley.error": "\(error)"])
            options.mode = .fullText
            results = try await search(question, in: collections, options: options)
        }
        guard !results.isEmpty else { return nil }
        return Grounding(results: results)
    }
}

/// Retrieved sources, as the model sees them and as the reply stores them.
public struct Grounding: Sendable {
    public var systemPrompt: String
    /// `[{"index", "document_id", "collection_id", "title", "url", "page", "row", "heading", "snippet"}]`.
    public var citations: JSONValue

    public init(results: [Retriever.Result]) {
        var prompt = """
            Answer the user's question using the numbered sources below where they are relevant. Cite every \
            source you use with its number in square brackets, like [1] or [2]. If the sources do not hold the \
            answer, say so.

            """
        var citations: [JSONValue] = []
        for (offset, result) in results.enumerated() {
            let chunk = result.chunk
            let number = offset + 1
            var place = chunk.title
            if let page = chunk.page { place += ", page \(page)" }
            if let row = chunk.row { place += ", row \(row)" }
            if let heading = chunk.heading { place += ", \"\(heading)\"" }
            prompt += "\n[\(number)] \(place)\n\(chunk.text)\n"
            citations.append(
                .object([
                    "index": .number(Double(number)), "document_id": .string(chunk.documentID),
                    "collection_id": .string(chunk.collectionID), "title": .string(chunk.title),
                    "url": chunk.url.map(JSONValue.string) ?? .null,
                    "page": chunk.page.map { .number(Double($0)) } ?? .null,
                    "row": chunk.row.map { .number(Double($0)) } ?? .null,
                    "heading": chunk.heading.map(JSONValue.string) ?? .null,
                    "snippet": .string(Self.snippet(chunk.text)),
                ]))
        }
        self.systemPrompt = prompt
        self.citations = .array(citations)
    }

    static func snippet(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 240 ? String(flat.prefix(239)) + "…" : flat
    }
}
