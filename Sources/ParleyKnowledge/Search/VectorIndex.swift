import CParleyKernels
import Synchronization

/// Every chunk vector of the collections in use, in memory, for exact nearest-neighbour search: one
/// contiguous block of floats per collection, scanned with SIMD dot products (the vectors are
/// unit-length, so the dot product is the cosine similarity). The database stays the truth: a collection
/// is loaded on first use and dropped when its version in the database moves on without this process.
public final class VectorIndex: Sendable {
    /// One collection's vectors.
    public struct Segment: Sendable {
        public var version: Int64
        public var dimensions: Int
        /// Chunk ids (the chunks table's `seq`), one per vector.
        public var chunkIDs: [Int64] = []
        /// The document of each vector, to replace one document's vectors.
        public var documentIDs: [String] = []
        public var vectors: [Float] = []

        public init(version: Int64, dimensions: Int) {
            self.version = version
            self.dimensions = dimensions
        }

        public var count: Int { chunkIDs.count }

        public mutating func append(chunkID: Int64, documentID: String, vector: [Float]) {
            guard vector.count == dimensions else { return }
            chunkIDs.append(chunkID)
            documentIDs.append(documentID)
            vectors += vector
        }

        /// Removes a document's vectors, keeping the rest in order.
        public mutating func remove(documentID: String) {
            guard documentIDs.contains(documentID) else { return }
            var kept = Segment(version: version, dimensions: dimensions)
            kept.chunkIDs.reserveCapacity(count)
            kept.vectors.reserveCapacity(vectors.count)
            for index in 0..<count where documentIDs[index] != documentID {
                kept.chunkIDs.append(chunkIDs[index])
                kept.documentIDs.append(documentIDs[index])
                kept.vectors += vectors[index * dimensions..<(index + 1) * dimensions]
            }
            self = kept
        }
    }

    private let segments = Mutex<[String: Segment]>([:])

    public init() {}

    /// The loaded segment of a collection if it is at `version`.
    public func segment(_ collectionID: String, version: Int64) -> Segment? {
        segments.withLock { segments in
            guard let segment = segments[collectionID], segment.version == version else { return nil }
            return segment
        }
    }

    public func store(_ segment: Segment, for collectionID: String) {
        segments.withLock { $0[collectionID] = segment }
    }

    public func drop(_ collectionID: String) {
        _ = segments.withLock { $0.removeValue(forKey: collectionID) }
    }

    /// Applies this process's own change to a collection: the document's vectors replaced, and the version
    /// moved from `version - 1` to `version`. A segment at any other version was changed elsewhere too, and
    /// is dropped to be read again.
    public func replace(
        collectionID: String, documentID: String, with rows: [(chunkID: Int64, vector: [Float])], version: Int64
    ) {
        segments.withLock { segments in
            guard var segment = segments[collectionID] else { return }
            guard segment.version == version - 1 else {
                segments.removeValue(forKey: collectionID)
                return
            }
            segment.remove(documentID: documentID)
            for row in rows { segment.append(chunkID: row.chunkID, documentID: documentID, vector: row.vector) }
            segment.version = version
            segments[collectionID] = segment
        }
    }

    /// The `limit` vectors of `segment` most similar to `query`, best first, with their cosine similarity.
    public static func nearest(_ query: [Float], in segment: Segment, limit: Int) -> [(chunkID: Int64, score: Float)] {
        let dimensions = segment.dimensions
        guard query.count == dimensions, segment.count > 0, limit > 0 else { return [] }
        var best = TopK(capacity: limit)
        segment.vectors.withUnsafeBufferPointer { vectors in
            query.withUnsafeBufferPointer { query in
                for index in 0..<segment.count {
                    let score = dot(query.baseAddress!, vectors.baseAddress! + index * dimensions, dimensions)
                    best.insert(score, index)
                }
            }
        }
        return best.sorted().map { (segment.chunkIDs[$0.index], $0.score) }
    }

    /// The dot product of two float arrays: the engine's kernel (AVX2 and FMA where the CPU has them,
    /// chosen at run time), several times faster than Swift's portable SIMD types compiled for the
    /// baseline x86-64 that has neither.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        pk_vec_dot(floatType, a, b, count)
    }

    /// GGML's type number of 32-bit floats, as the kernels name weight types.
    static let floatType: Int32 = 0
}

/// The k best scores seen, kept in a small min-heap.
struct TopK {
    let capacity: Int
    private(set) var heap: [(score: Float, index: Int)] = []

    init(capacity: Int) {
        self.capacity = capacity
        heap.reserveCapacity(capacity)
    }

    mutating func insert(_ score: Float, _ index: Int) {
        if heap.count < capacity {
            heap.append((score, index))
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[child].score < heap[parent].score else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        } else if score > heap[0].score {
            heap[0] = (score, index)
            var parent = 0
            while true {
                let left = parent * 2 + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count, heap[left].score < heap[smallest].score { smallest = left }
                if right < heap.count, heap[right].score < heap[smallest].score { smallest = right }
                guard smallest != parent else { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
    }

    func sorted() -> [(score: Float, index: Int)] { heap.sorted { $0.score > $1.score } }
}
