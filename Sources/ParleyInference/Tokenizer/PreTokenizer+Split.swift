extension PreTokenizer {
    /// Cuts a fragment of text (its code points and their flags) into words, as code point ranges.
    func split(_ codepoints: UnsafeBufferPointer<UInt32>, _ flags: UnsafeBufferPointer<CodepointFlags>) -> [Range<Int>]
    {
        let whole = [0..<codepoints.count]
        switch rules {
        case .gpt2:
            return Self.apply(whole, codepoints, flags) { Self.splitGPT2($0, into: &$1) }
        case .llama3:
            return Self.apply(whole, codepoints, flags) { Self.splitLlama3($0, digitGroup: 3, into: &$1) }
        case .qwen2:
            return Self.apply(whole, codepoints, flags) { Self.splitLlama3($0, digitGroup: 1, into: &$1) }
        case .isolatedDigitsThenGPT2:
            let digits = Self.isolate(whole, codepoints, flags) { _, flags in flags.has(.number) ? 1 : 0 }
            return Self.apply(digits, codepoints, flags) { Self.splitGPT2($0, into: &$1) }
        case .fallback:
            // `[\p{P}\$\+<=>\^~\|]+`, the GPT-2 rule, `\p{N}+`, then `[0-9][0-9][0-9]`.
            var words = Self.isolate(whole, codepoints, flags) { segment, _ in
                Self.runLength(segment) { codepoint, flags in
                    codepoint < 0x80 ? Self.isFallbackPunctuation(codepoint) : flags == .punctuation
                }
            }
            words = Self.apply(words, codepoints, flags) { Self.splitGPT2($0, into: &$1) }
            words = Self.isolate(words, codepoints, flags) { segment, _ in
                Self.runLength(segment) { _, flags in flags.has(.number) }
            }
            return Self.isolate(words, codepoints, flags) { segment, _ in
                for offset in 0..<3 {
                    let digit = segment.codepoint(segment.start + offset)
                    guard digit >= 0x30 && digit <= 0x39 else { return 0 }
                }
                return 3
            }
        }
    }

    /// Runs a hand-written rule over every segment.
    private static func apply(
        _ segments: [Range<Int>],
        _ codepoints: UnsafeBufferPointer<UInt32>,
        _ flags: UnsafeBufferPointer<CodepointFlags>,
        _ rule: (TextSegment, inout WordCuts) -> Void
    ) -> [Range<Int>] {
        var cuts = WordCuts(start: 0, capacity: codepoints.count / 3 + 4)
        for range in segments {
            cuts.restart(at: range.lowerBound)
            rule(
                TextSegment(codepoints: codepoints, flags: flags, start: range.lowerBound, end: range.upperBound), &cuts
            )
        }
        return cuts.words
    }

    /// Splits each segment around the leftmost-longest matches of a simple pattern, as a regex search
    /// would: every match is a word, and so is the text between matches. `match` gives the length of
    /// the match starting at the segment's start (0 for none).
    private static func isolate(
        _ segments: [Range<Int>],
        _ codepoints: UnsafeBufferPointer<UInt32>,
        _ flags: UnsafeBufferPointer<CodepointFlags>,
        _ match: (TextSegment, CodepointFlags) -> Int
    ) -> [Range<Int>] {
        var result: [Range<Int>] = []
        result.reserveCapacity(segments.count + 8)
        for range in segments {
            var gapStart = range.lowerBound
            var position = range.lowerBound
            while position < range.upperBound {
                let rest = TextSegment(codepoints: codepoints, flags: flags, start: position, end: range.upperBound)
                let length = match(rest, flags[position])
                guard length > 0 else {
                    position += 1
                    continue
                }
                if position > gapStart { result.append(gapStart..<position) }
                result.append(position..<(position + length))
                position += length
                gapStart = position
            }
            if range.upperBound > gapStart { result.append(gapStart..<range.upperBound) }
        }
        return result
    }

    /// How many code points from the segment's start satisfy `test`.
    @inline(__always)
    private static func runLength(_ segment: TextSegment, _ test: (UInt32, CodepointFlags) -> Bool) -> Int {
        var position = segment.start
        while position < segment.end && test(segment.codepoints[position], segment.flags[position]) {
            position += 1
        }
        return position - segment.start
    }

    /// The ASCII part of `[\p{P}\$\+<=>\^~\|]` as llama.cpp evaluates it: every ASCII punctuation or
    /// symbol character except the backquote.
    private static func isFallbackPunctuation(_ codepoint: UInt32) -> Bool {
        guard codepoint > 0x20 && codepoint < 0x7F && codepoint != 0x60 else { return false }
        let scalar = Unicode.Scalar(UInt8(codepoint))
        return !(scalar.properties.isAlphabetic || (0x30...0x39).contains(codepoint))
    }
}
