/// A run of code points a pre-tokenizer rule splits into words, with llama.cpp's conventions at its
/// edges: outside the run a code point reads as `outside` and has no flags, so lookahead stops there.
struct TextSegment {
    static let outside = UInt32.max

    let codepoints: UnsafeBufferPointer<UInt32>
    let flags: UnsafeBufferPointer<CodepointFlags>
    let start: Int
    let end: Int

    @inline(__always)
    func codepoint(_ index: Int) -> UInt32 {
        index >= start && index < end ? codepoints[index] : Self.outside
    }

    @inline(__always)
    func flags(_ index: Int) -> CodepointFlags {
        index >= start && index < end ? flags[index] : []
    }
}

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

    mutating func append(contentsOf other: WordCuts) {
        words.append(contentsOf: other.words)
    }
}
