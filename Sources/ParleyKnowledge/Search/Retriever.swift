import ParleyCore
import ParleyStorage

/// Hybrid retrieval: full-text search and vector similarity over the chunks of some collections, fused
/// by reciprocal rank. A chunk ranked well by either method rises; one ranked well by both rises most.
public struct Retriever: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        case hybrid
        case fullText = "full_text"
        case vector
    }

    public struct Options: Sendable {
        public var topK: Int = 5
        /// Chunks under this fused score (0 to 1: 1 is first in every list) are left out.
        public var minScore: Double = 0
        /// How many candidates each method proposes before fusion.
        public var candidates: Int = 50
        public var mode: Mode = .hybrid

        public init(topK: Int = 5, minScore: Double = 0, candidates: Int = 50, mode: Mode = .hybrid) {
            self.topK = topK
            self.minScore = minScore
            self.candidates = candidates
            self.mode = mode
        }
    }

    /// One retrieved chunk.
    public struct Result: Sendable {
        public var chunk: ChunkHit
        public var score: Double
        /// Its place (1-based) in the full-text and vector lists, when it was in them.
        public var fullTextRank: Int?
        public var vectorRank: Int?
    }

    /// The constant of reciprocal rank fusion: it damps the weight of the very first places.
    static let fusionK = 60.0

    let store: Store
    let embedder: (any TextEmbedder)?
    let index: VectorIndex

    public init(store: Store, embedder: (any TextEmbedder)?, index: VectorIndex) {
        self.store = store
        self.embedder = embedder
        self.index = index
    }

    public func search(_ query: String, in collections: [CollectionRecord], options: Options = Options()) async throws
        -> [Result]
    {
        guard !collections.isEmpty, options.topK > 0 else { return [] }
        let ids = collections.map(\.id)
        let store = store
        let vectorSearch = options.mode != .fullText ? embedder : nil
        // The versions of the vectors in memory are read first: on SQLite, whose one connection the full-text
        // search then holds, reading them after would wait for it.
        let versions = vectorSearch == nil ? [:] : try await store.collectionVersions(ids: ids)
        // The two searches run at once: one waits on the database, the other on the embedding model and the
        // scan of the vectors.
        async let fullTextSearch: [Int64]? =
            options.mode == .vector
            ? nil : store.searchChunks(collectionIDs: ids, words: QueryWords.of(query), limit: options.candidates)
        var vector: [Int64] = []
        var lists: [[Int64]] = []
        if let embedder = vectorSearch {
            vector = try await nearest(
                query, embedder: embedder, in: collections, versions: versions, limit: options.candidates)
        }
        let fullText = try await fullTextSearch ?? []
        if options.mode != .vector { lists.append(fullText) }
        if vectorSearch != nil { lists.append(vector) }
        guard !lists.isEmpty else { return [] }
        var fused: [Int64: Double] = [:]
        for list in lists {
            for (rank, id) in list.enumerated() { fused[id, default: 0] += 1 / (Self.fusionK + Double(rank + 1)) }
        }
        let best = 1 / (Self.fusionK + 1) * Double(lists.count)
        var scored: [(id: Int64, score: Double)] = []
        for (id, value) in fused where value / best >= options.minScore {
            scored.append((id, value / best))
        }
        scored.sort { left, right in left.score != right.score ? left.score > right.score : left.id < right.id }
        let ranked = scored.prefix(options.topK)
        var chunks: [Int64: ChunkHit] = [:]
        for chunk in try await store.chunks(ids: ranked.map { $0.id }) { chunks[chunk.chunkID] = chunk }
        let fullTextRanks = Dictionary(
            fullText.enumerated().map { ($1, $0 + 1) }, uniquingKeysWith: { first, _ in first })
        let vectorRanks = Dictionary(vector.enumerated().map { ($1, $0 + 1) }, uniquingKeysWith: { first, _ in first })
        return ranked.compactMap { entry in
            chunks[entry.id].map {
                Result(
                    chunk: $0, score: entry.score, fullTextRank: fullTextRanks[entry.id],
                    vectorRank: vectorRanks[entry.id])
            }
        }
    }

    /// The chunks nearest the query among the collections whose vectors come from this embedder's model.
    ///
    /// - Parameter versions: the collections' versions, read from the database.
    func nearest(
        _ query: String, embedder: any TextEmbedder, in collections: [CollectionRecord], versions: [String: Int64],
        limit: Int
    ) async throws -> [Int64] {
        let usable = collections.filter { $0.embeddingModel == nil || $0.embeddingModel == embedder.model }
        guard !usable.isEmpty else { return [] }
        guard let queryVector = try await embedder.embed([query]).first else { return [] }
        var scored: [(chunkID: Int64, score: Float)] = []
        for collection in usable {
            let segment = try await loadedSegment(
                collection.id, version: versions[collection.id] ?? 0, dimensions: queryVector.count)
            scored += VectorIndex.nearest(queryVector, in: segment, limit: limit)
        }
        return scored.sorted { $0.score > $1.score }.prefix(limit).map(\.chunkID)
    }

    /// The collection's vectors in memory at `version`, read from the database when they are not.
    func loadedSegment(_ collectionID: String, version: Int64, dimensions: Int) async throws -> VectorIndex.Segment {
        if let loaded = index.segment(collectionID, version: version) { return loaded }
        let (readVersion, rows) = try await store.collectionVectors(collectionID: collectionID)
        var fresh = VectorIndex.Segment(version: readVersion, dimensions: dimensions)
        fresh.chunkIDs.reserveCapacity(rows.count)
        fresh.vectors.reserveCapacity(rows.count * dimensions)
        for row in rows { fresh.append(chunkID: row.chunkID, documentID: row.documentID, vector: row.vector) }
        index.store(fresh, for: collectionID)
        return fresh
    }

    /// Reads the vectors of every collection made with this retriever's model into memory, so that the
    /// first search of each does not wait for them.
    public func warmUp() async throws {
        guard let embedder, embedder.dimensions > 0 else { return }
        let ids = try await store.collectionIDs(embeddingModel: embedder.model)
        let versions = try await store.collectionVersions(ids: ids)
        for id in ids {
            _ = try await loadedSegment(id, version: versions[id] ?? 0, dimensions: embedder.dimensions)
        }
    }
}
