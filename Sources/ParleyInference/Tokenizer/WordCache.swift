import Synchronization

/// Remembers the ids of words already merged: prompts repeat words, and chat turns repeat whole
/// prompts. Bounded; emptied when full, which costs one re-merge per word.
final class WordCache: Sendable {
    private let storage = Mutex<[ByteString: [Int32]]>([:])
    private let limit: Int

    init(limit: Int = 1 << 16) {
        self.limit = limit
    }

    func ids(for word: ByteString) -> [Int32]? {
        storage.withLock { $0[word] }
    }

    func store(_ ids: [Int32], for word: ByteString) {
        storage.withLock { cache in
            if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
            cache[word] = ids
        }
    }
}
