import Crypto
import Foundation
import Logging
import NIOPosix
import ParleyCore
import ParleyStorage

/// Runs one ingestion job: gets the content (the upload, or the URL fetched safely), hashes it, reads it
/// by kind, chunks it, embeds the chunks and stores them in one transaction. Progress goes to the
/// document as it goes. A failure is stored with its reason: a document ingested for the first time
/// fails; one that was ready keeps its chunks and stays ready, the failure beside them as a refresh error.
public struct Ingestor: Sendable {
    let store: Store
    let fetcher: Fetcher
    let embedder: (any TextEmbedder)?
    let index: VectorIndex
    let settings: KnowledgeSettings
    let worker: String
    let logger: Logger

    public init(
        store: Store, fetcher: Fetcher, embedder: (any TextEmbedder)?, index: VectorIndex, settings: KnowledgeSettings,
        worker: String, logger: Logger
    ) {
        self.store = store
        self.fetcher = fetcher
        self.embedder = embedder
        self.index = index
        self.settings = settings
        self.worker = worker
        self.logger = logger
    }

    /// Why a job stopped without an outcome to store: another worker owns it now.
    struct LostLease: Error {}

    public func run(_ job: KnowledgeJob) async {
        var logger = logger
        logger[metadataKey: "parley.knowledge.document"] = "\(job.documentID)"
        do {
            guard let document = try await store.document(id: job.documentID) else {
                try await store.endKnowledgeJob(job: job, worker: worker)
                return
            }
            guard job.attempts <= settings.maxAttempts else {
                try await store.failKnowledgeJob(
                    job: job, worker: worker,
                    reason: "gave up after \(settings.maxAttempts) attempts (the server stopped while ingesting it)")
                return
            }
            try await ingest(job, document: document, logger: logger)
        } catch is LostLease {
            logger.info("ingestion job taken over by another worker")
        } catch  where error is CancellationError || Task.isCancelled {
            // The server is stopping: the job goes back in the queue for the next start.
            try? await Task { try await store.releaseKnowledgeJob(job: job, worker: worker) }.value
        } catch {
            let reason = Self.reason(error)
            logger.info("ingestion failed", metadata: ["parley.knowledge.reason": "\(reason)"])
            try? await store.failKnowledgeJob(job: job, worker: worker, reason: reason)
        }
    }

    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as ExtractionError: return error.description
        case let error as FetchError: return error.description
        case let error as ParleyError: return "embedding failed: \(error.message)"
        default: return "\(error)"
        }
    }

    private func ingest(_ job: KnowledgeJob, document: KnowledgeDocumentRecord, logger: Logger) async throws {
        let directory = FileManager.default.temporaryDirectory.path
        let path: String
        var contentType = document.contentType
        var finalURL: String?
        if document.sourceKind == "url" {
            let fetched = try await fetcher.fetch(document.source, into: directory)
            path = fetched.path
            contentType = fetched.contentType ?? contentType
            finalURL = fetched.finalURL
        } else {
            guard let bytes = try await store.upload(documentID: document.id) else {
                throw ExtractionError("the uploaded content is missing")
            }
            path = (directory as NSString).appendingPathComponent("upload-\(UUID().uuidString)")
            let written = try await Self.offload { FileManager.default.createFile(atPath: path, contents: bytes) }
            guard written else { throw ExtractionError("cannot write a temporary file") }
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (hash, size, head) = try await Self.offload { try Self.hash(fileAt: path) }
        guard size <= settings.maxDocumentBytes else {
            throw ExtractionError("the document is \(size) bytes, over the limit of \(settings.maxDocumentBytes)")
        }
        if hash == document.contentHash, document.chunkCount > 0 {
            try await store.finishUnchangedKnowledgeJob(job: job, worker: worker)
            return
        }
        try await report(job, 0.05)
        let kind = try DocumentKind.detect(contentType: contentType, name: finalURL ?? document.source, head: head)
        let title = document.title
        let extracted = try await Self.offload { try kind.extract(fileAt: path, title: title) }
        let counter: @Sendable (String) -> Int
        if let embedder {
            counter = { embedder.tokenCount($0) }
        } else {
            counter = Chunker.estimate
        }
        let chunker = Chunker(size: settings.chunkSize, overlap: settings.chunkOverlap, tokenCount: counter)
        let pieces = try await Self.offload { chunker.chunks(of: extracted) }
        guard !pieces.isEmpty else { throw ExtractionError.empty }
        try await report(job, 0.1)
        var vectors: [[Float]]?
        if let embedder {
            var embedded: [[Float]] = []
            embedded.reserveCapacity(pieces.count)
            var start = 0
            while start < pieces.count {
                let batch = pieces[start..<min(start + settings.embeddingBatch, pieces.count)]
                // The heading goes with the text: a chunk under "Refunds" is about refunds.
                embedded += try await embedder.embed(batch.map { ($0.heading.map { $0 + "\n" } ?? "") + $0.text })
                start += batch.count
                try await report(job, 0.1 + 0.85 * Double(start) / Double(pieces.count))
            }
            vectors = embedded
        }
        let chunks = pieces.enumerated().map { index, piece in
            NewChunk(
                text: piece.text, heading: piece.heading, page: piece.page, row: piece.row, tokens: piece.tokens,
                embedding: vectors?[index])
        }
        let pages = kind == .pdf ? extracted.sections.compactMap(\.page).max() : nil
        let rows = kind == .csv ? extracted.sections.compactMap(\.row).max() ?? 0 : nil
        // A title given when adding the document wins over the one the content names; a file name or URL
        // (the default) does not.
        let titled = document.sourceKind == "text" || document.title != document.source
        let content = IngestedContent(
            title: titled ? document.title : extracted.title ?? document.title, url: finalURL, kind: kind.rawValue,
            contentType: contentType,
            contentHash: hash, sizeBytes: Int64(size), pageCount: pages, rowCount: rows, embeddingModel: embedder?.model
        )
        guard
            let indexed = try await store.completeKnowledgeJob(
                job: job, worker: worker, content: content, chunks: chunks)
        else { throw LostLease() }
        if let vectors {
            index.replace(
                collectionID: document.collectionID, documentID: document.id,
                with: zip(indexed.chunkIDs, vectors).map { ($0, $1) }, version: indexed.collectionVersion)
        } else {
            index.drop(document.collectionID)
        }
        logger.info(
            "document ready",
            metadata: ["parley.knowledge.chunks": "\(chunks.count)", "parley.knowledge.kind": "\(kind.rawValue)"])
    }

    /// Runs blocking work (file I/O, poppler's child process waited for, parsing and chunking a large
    /// file: seconds for a big CSV) on NIO's blocking pool, not on the few threads that run every
    /// request's tasks (the server's event loops with PARLEY_TASK_EXECUTOR=event-loops).
    static func offload<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await NIOThreadPool.singleton.runIfActive(work)
    }

    private func report(_ job: KnowledgeJob, _ progress: Double) async throws {
        guard
            try await store.reportKnowledgeProgress(
                job: job, worker: worker, progress: progress, leaseMilliseconds: settings.leaseMilliseconds)
        else { throw LostLease() }
    }

    /// SHA-256 of a file read in pieces, its size, and its first bytes.
    static func hash(fileAt path: String) throws -> (String, Int, [UInt8]) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ExtractionError.unreadable("no file") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size = 0
        var head: [UInt8] = []
        while let piece = try handle.read(upToCount: 1 << 16), !piece.isEmpty {
            if head.count < 8192 { head += piece.prefix(8192 - head.count) }
            hasher.update(data: piece)
            size += piece.count
        }
        return (Secrets.hex(hasher.finalize()), size, head)
    }
}
