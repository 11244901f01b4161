import Foundation
import Logging
import ParleyKnowledge
import ParleyStorage
import ParleyTesting

// Ingestion and query speed of ParleyKnowledge (bench/knowledge/run.sh runs it):
//   parley-knowledge-bench DATA_DIR [--database-url postgres://...] [--model-dir DIR] [--pages 200] [--rows 100000]
//       [--chunks 100000] [--queries 300] [--queries-only]
// With --model-dir the built-in all-MiniLM-L6-v2 embeds (ingestion and queries); without it ingestion
// is measured without vectors and queries use random vectors of 384 dimensions for the vector half.
// DATA_DIR is kept: --queries-only measures queries again on the database an earlier run left there (the
// same --database-url for PostgreSQL), skipping ingestion and seeding. --ingest-without-vectors ingests the
// PDF and the CSV without vectors even with --model-dir, which then embeds the queries only (minutes
// sooner, for query figures with the real model).

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(index...(index + 1)) }
    return arguments[index + 1]
}
let databaseURL = option("--database-url")
let modelDirectory = option("--model-dir")
let pageCount = Int(option("--pages") ?? "") ?? 200
let rowCount = Int(option("--rows") ?? "") ?? 100_000
let chunkCount = Int(option("--chunks") ?? "") ?? 100_000
let queryCount = Int(option("--queries") ?? "") ?? 300
let queriesOnly = arguments.contains("--queries-only")
let ingestWithoutVectors = arguments.contains("--ingest-without-vectors")
arguments.removeAll { $0 == "--queries-only" || $0 == "--ingest-without-vectors" }
guard let dataDirectory = arguments.first else {
    FileHandle.standardError.write(Data("usage: parley-knowledge-bench DATA_DIR [options]\n".utf8))
    exit(2)
}

var logger = Logger(label: "parley.knowledge-bench")
logger.logLevel = .warning

/// Random unit vectors for the query half when there is no model.
struct RandomEmbedder: TextEmbedder {
    var model = "bench/random"
    var dimensions = 384
    func embed(_ texts: [String]) async throws -> [[Float]] {
        texts.map { _ in
            let vector = (0..<dimensions).map { _ in Float.random(in: -1...1) }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return vector.map { $0 / norm }
        }
    }
}

/// 20,000 made-up words of two or three syllables (the machine may have no dictionary), so that texts
/// have a realistic spread of rare and common words for full-text search and the tokenizer.
let words: [String] = {
    let syllables = [
        "ba", "ke", "lo", "mi", "nu", "ra", "se", "ti", "vo", "wa", "dre", "sto", "pla", "gri", "chu",
        "fen", "mar", "tol", "bis", "quo", "zan", "hel", "por", "kin", "sul",
    ]
    var made: [String] = []
    var generator = SystemRandomNumberGenerator()
    while made.count < 20_000 {
        let count = Int.random(in: 2...3, using: &generator)
        made.append((0..<count).map { _ in syllables.randomElement(using: &generator)! }.joined())
    }
    return made
}()
func sentence(_ length: Int) -> String {
    (0..<length).map { _ in words.randomElement()! }.joined(separator: " ")
}
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let store = try await Store.open(url: databaseURL, dataDirectory: dataDirectory, logger: logger)
let localEmbedder: (any TextEmbedder)? = try modelDirectory.map {
    try LocalEmbedder(directory: URL(fileURLWithPath: $0))
}
let ingestionEmbedder = ingestWithoutVectors ? nil : localEmbedder
print(
    "backend: \(store.backend.rawValue); embedding: \(ingestionEmbedder?.model ?? "none (full-text only ingestion)")")
// What the query part needs of an earlier run, kept in the data directory.
let seededFile = URL(fileURLWithPath: dataDirectory).appendingPathComponent("bench-queries.txt")
let queryCollectionID: String
let queryUserID: String
var started = ContinuousClock.now
let queryEmbedder: any TextEmbedder = localEmbedder ?? RandomEmbedder()
if queriesOnly {
    let saved = try String(contentsOf: seededFile, encoding: .utf8).split(separator: " ").map(String.init)
    guard saved.count == 2 else { fatalError("\(seededFile.path) holds no user and collection") }
    (queryUserID, queryCollectionID) = (saved[0], saved[1])
} else {
    let knowledge = KnowledgeBase(
        store: store, settings: KnowledgeSettings(), embedder: ingestionEmbedder, logger: logger)
    let user = try await store.createUser(username: "bench-\(UUID().uuidString.prefix(6))")

    /// Uploads a file to a new collection named after its kind and ingests it: the document, and the seconds.
    func ingest(_ kind: String, type: String, _ bytes: [UInt8]) async throws -> (KnowledgeDocumentRecord, Double) {
        let collection = try await store.createCollection(ownerID: user.id, name: kind)
        _ = try await store.addDocument(
            collectionID: collection.id, userID: user.id,
            NewDocument(
                sourceKind: "upload", source: "bench.\(kind)", title: "bench.\(kind)", contentType: type,
                content: bytes, contentHash: ContentHash.hex(of: bytes)))
        let started = ContinuousClock.now
        try await knowledge.worker(logger: logger).drain()
        let time = seconds(ContinuousClock.now - started)
        return (try await store.documents(collectionID: collection.id, userID: user.id)[0], time)
    }

    // 1. A PDF of `pageCount` pages, about 450 words a page.
    let pdf = PDFMaker.make(pages: (0..<pageCount).map { _ in (0..<45).map { _ in sentence(10) } }, title: "Bench PDF")
    let (pdfDocument, pdfTime) = try await ingest("pdf", type: "application/pdf", Array(pdf))
    print(
        String(
            format: "PDF: %d pages (%.1f MB), %d chunks, %@ in %.2f s: %.1f pages/s", pageCount,
            Double(pdf.count) / 1e6, pdfDocument.chunkCount, pdfDocument.status.rawValue, pdfTime,
            Double(pageCount) / pdfTime))

    // 2. A CSV of `rowCount` rows.
    var csv = "id,name,city,department,notes\n"
    for row in 0..<rowCount {
        csv +=
            "\(row),\(words.randomElement()!) \(words.randomElement()!),\(words.randomElement()!),\(words.randomElement()!),\"\(sentence(6))\"\n"
    }
    let csvBytes = Array(csv.utf8)
    let (csvDocument, csvTime) = try await ingest("csv", type: "text/csv", csvBytes)
    print(
        String(
            format: "CSV: %d rows (%.1f MB), %d chunks, %@ in %.2f s: %.0f rows/s", rowCount,
            Double(csvBytes.count) / 1e6, csvDocument.chunkCount, csvDocument.status.rawValue, csvTime,
            Double(rowCount) / csvTime))
    try await knowledge.shutdown()

    // 3. Queries over `chunkCount` chunks with vectors, written straight to the store (embedding 100,000 chunks
    // is the ingestion figure above, not the query one).
    let big = try await store.createCollection(ownerID: user.id, name: "queries")
    let random = RandomEmbedder(dimensions: 384)
    started = ContinuousClock.now
    var seeded = 0
    while seeded < chunkCount {
        let count = min(10_000, chunkCount - seeded)
        let added = try await store.addDocument(
            collectionID: big.id, userID: user.id,
            NewDocument(
                sourceKind: "text", source: "part-\(seeded)", title: "part \(seeded)", content: Array("x".utf8)))
        guard let job = try await store.claimKnowledgeJob(worker: "bench") else { fatalError("no job") }
        precondition(job.documentID == added.document.id)
        let vectors = try await random.embed(Array(repeating: "", count: count))
        let chunks = (0..<count).map { index in
            NewChunk(text: sentence(40), heading: nil, page: nil, row: nil, tokens: 60, embedding: vectors[index])
        }
        let content = IngestedContent(
            title: "part", url: nil, kind: "text", contentType: nil, contentHash: UUID().uuidString, sizeBytes: 1,
            pageCount: nil, rowCount: nil, embeddingModel: queryEmbedder.model)
        _ = try await store.completeKnowledgeJob(job: job, worker: "bench", content: content, chunks: chunks)
        seeded += count
    }
    print(String(format: "seeded %d chunks in %.1f s", chunkCount, seconds(ContinuousClock.now - started)))
    try "\(user.id) \(big.id)".write(to: seededFile, atomically: true, encoding: .utf8)
    (queryUserID, queryCollectionID) = (user.id, big.id)
}
let queryKnowledge = KnowledgeBase(store: store, settings: KnowledgeSettings(), embedder: queryEmbedder, logger: logger)
let collection = try await store.collection(id: queryCollectionID, userID: queryUserID)
started = ContinuousClock.now
_ = try await queryKnowledge.search("warm up", in: [collection])
print(String(format: "first query (loads the vector index): %.0f ms", seconds(ContinuousClock.now - started) * 1000))
// The parts of a vector query: embedding the query, and the exact scan of the in-memory index.
var embedTimes: [Double] = []
var scanTimes: [Double] = []
let versions = try await store.collectionVersions(ids: [collection.id])
if let segment = queryKnowledge.index.segment(collection.id, version: versions[collection.id] ?? 0) {
    for _ in 0..<50 {
        var start = ContinuousClock.now
        let vector = try await queryEmbedder.embed([sentence(6)])[0]
        embedTimes.append(seconds(ContinuousClock.now - start) * 1000)
        start = ContinuousClock.now
        _ = VectorIndex.nearest(vector, in: segment, limit: 50)
        scanTimes.append(seconds(ContinuousClock.now - start) * 1000)
    }
    print(String(format: "vector query parts: embedding the query p50 %.1f ms; scanning %d vectors p50 %.1f ms",
        embedTimes.sorted()[25], segment.count, scanTimes.sorted()[25]))
}
for mode in Retriever.Mode.allCases {
    var times: [Double] = []
    for _ in 0..<queryCount {
        let query = sentence(Int.random(in: 3...8))
        let start = ContinuousClock.now
        _ = try await queryKnowledge.search(query, in: [collection], options: .init(topK: 5, mode: mode))
        times.append(seconds(ContinuousClock.now - start) * 1000)
    }
    times.sort()
    let p50 = times[times.count / 2]
    let p99 = times[min(times.count - 1, Int(Double(times.count) * 0.99))]
    print(
        String(
            format: "query %@ over %d chunks: p50 %.1f ms, p99 %.1f ms (target p99 < 50 ms)",
            mode.rawValue, chunkCount, p50, p99))
}
try await queryKnowledge.shutdown()
await store.close()
