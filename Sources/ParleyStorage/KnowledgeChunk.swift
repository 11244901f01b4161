/// A chunk of a document to store, with its vector when there is an embedding model.
public struct NewChunk: Sendable {
    public var text: String
    public var heading: String?
    public var page: Int?
    public var row: Int?
    public var tokens: Int
    public var embedding: [Float]?

    public init(text: String, heading: String?, page: Int?, row: Int?, tokens: Int, embedding: [Float]?) {
        self.text = text
        self.heading = heading
        self.page = page
        self.row = row
        self.tokens = tokens
        self.embedding = embedding
    }
}

/// A stored chunk with its document, as search returns it.
public struct ChunkHit: Sendable, Hashable {
    /// The chunk's row (`seq`), which the vector index also uses.
    public var chunkID: Int64
    public var documentID: String
    public var collectionID: String
    public var title: String
    public var url: String?
    public var heading: String?
    public var page: Int?
    public var row: Int?
    public var text: String
}

/// The result of indexing a document: the chunks' ids in order and the collection's new version.
public struct IndexedDocument: Sendable {
    public var chunkIDs: [Int64]
    public var collectionVersion: Int64
}

/// A claimed ingestion job.
public struct KnowledgeJob: Sendable {
    public var id: String
    public var documentID: String
    public var attempts: Int
}

/// Float vectors as little-endian float32 bytes, the form they take in the database.
public enum VectorBytes {
    public static func encode(_ vector: [Float]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: vector.count * 4)
        bytes.withUnsafeMutableBytes { raw in
            for (index, value) in vector.enumerated() {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
            }
        }
        return bytes
    }

    public static func decode(_ bytes: some Collection<UInt8>) -> [Float] {
        let array = Array(bytes)
        var vector = [Float](repeating: 0, count: array.count / 4)
        array.withUnsafeBytes { raw in
            for index in 0..<vector.count {
                vector[index] = Float(
                    bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
            }
        }
        return vector
    }
}
