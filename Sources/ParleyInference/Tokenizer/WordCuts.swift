/// Collects words as consecutive cuts: each cut ends the word that began at the previous one.
struct WordCuts {
    private(set) var words: [Range<Int>] = []
    private var wordStart: Int

    init(start: Int, capacity: Int) {
        wordStart = start
        words.reserveCapacity(capacity)
    }

    /// Ends the current word at `end` (nothing when it would be empty).
    @inline(__always)
    mutating func cut(at end: Int) {
        if end > wordStart { words.append(wordStart..<end) }
        wordStart = end
    }

    /// Starts the next word at `start` (the beginning of the next segment).
    mutating func restart(at start: Int) {
        wordStart = start
    }
}
