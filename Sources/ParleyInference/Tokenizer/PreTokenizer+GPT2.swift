extension PreTokenizer {
    /// GPT-2's rule, `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`,
    /// written out by hand as llama.cpp does (no regex engine has its Unicode classes and speed).
    static func splitGPT2(_ segment: TextSegment, into cuts: inout WordCuts) {
        let end = segment.end
        var position = segment.start
        while position < end {
            let codepoint = segment.codepoint(position)
            if codepoint == 0x27, position + 1 < end, let length = contraction(segment, at: position, caseless: false) {
                position += length
                cuts.cut(at: position)
                continue
            }
            // An optional single space in front of a letter, number or other run.
            let leadingSpace = codepoint == 0x20
            var flags = leadingSpace ? segment.flags(position + 1) : segment.flags(position)
            if flags.has(.letter) || flags.has(.number) {
                let kind: CodepointFlags = flags.has(.letter) ? .letter : .number
                if leadingSpace { position += 1 }
                while segment.flags(position).has(kind) { position += 1 }
                cuts.cut(at: position)
                continue
            }
            if flags.isOther {
                if leadingSpace { position += 1 }
                while flags.isOther {
                    position += 1
                    flags = segment.flags(position)
                }
                cuts.cut(at: position)
                continue
            }
            if let next = whitespaceRun(segment, at: position) {
                position = next
                cuts.cut(at: position)
                continue
            }
            position += 1
            cuts.cut(at: position)
        }
    }

    /// The length of `'s`, `'t`, `'re`, `'ve`, `'m`, `'ll` or `'d` at `position` (which holds `'`).
    @inline(__always)
    static func contraction(_ segment: TextSegment, at position: Int, caseless: Bool) -> Int? {
        func lower(_ codepoint: UInt32) -> UInt32 {
            caseless && codepoint >= 0x41 && codepoint <= 0x5A ? codepoint + 0x20 : codepoint
        }
        let next = lower(segment.codepoint(position + 1))
        if next == 0x73 || next == 0x74 || next == 0x6D || next == 0x64 { return 2 }  // s t m d
        guard position + 2 < segment.end else { return nil }
        let third = lower(segment.codepoint(position + 2))
        if (next == 0x72 && third == 0x65) || (next == 0x76 && third == 0x65) || (next == 0x6C && third == 0x6C) {
            return 3  // re ve ll
        }
        return nil
    }

    /// `\s+(?!\S)|\s+` at `position`: where the run ends, or nil when there is no white space. A run
    /// followed by more text leaves its last space to start the next word.
    @inline(__always)
    static func whitespaceRun(_ segment: TextSegment, at position: Int) -> Int? {
        var count = 0
        while segment.flags(position + count).has(.whitespace) { count += 1 }
        if count > 1 && segment.codepoint(position + count) != TextSegment.outside { return position + count - 1 }
        return count > 0 ? position + count : nil
    }
}
