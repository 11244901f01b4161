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
