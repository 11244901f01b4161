import ParleyKnowledge

/// A stand-in embedding model for tests that run without the real one: each word (lower-cased, crudely
/// stemmed) is hashed into one of `dimensions` buckets, so texts sharing words have similar vectors.
struct LexicalEmbedder: TextEmbedder {
    var model = "test/lexical"
    var dimensions = 256

    func embed(_ texts: [String]) async throws -> [[Float]] {
        texts.map { text in
            var vector = [Float](repeating: 0, count: dimensions)
            for word in text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }) {
                var stem = Substring(word)
                if stem.count > 4, stem.hasSuffix("s") { stem = stem.dropLast() }
                var hash: UInt64 = 1_469_598_103_934_665_603
                for byte in stem.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
                vector[Int(hash % UInt64(dimensions))] += 1
            }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return norm > 0 ? vector.map { $0 / norm } : vector
        }
    }
}
