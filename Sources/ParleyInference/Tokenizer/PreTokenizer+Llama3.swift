extension PreTokenizer {
    /// Llama 3's rule (Qwen 2's when `digitGroup` is 1):
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*`
    /// `|\s*[\r\n]+|\s+(?!\S)|\s+`
    static func splitLlama3(_ segment: TextSegment, digitGroup: Int, into cuts: inout WordCuts) {
        let end = segment.end
        var position = segment.start
        while position < end {
            let codepoint = segment.codepoint(position)
            let flags = segment.flags(position)
            if codepoint == 0x27, position + 1 < end, let length = contraction(segment, at: position, caseless: true) {
                position += length
                cuts.cut(at: position)
                continue
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+ : any one code point but a line break or digit may lead letters.
            let isLineBreak = codepoint == 0x0D || codepoint == 0x0A
            if !isLineBreak && !flags.has(.number)
                && (flags.has(.letter) || segment.flags(position + 1).has(.letter))
            {
                position += 1
                while segment.flags(position).has(.letter) { position += 1 }
                cuts.cut(at: position)
                continue
            }
            if flags.has(.number) {
                var groupStart = position
                while segment.flags(position).has(.number) {
                    position += 1
                    if position - groupStart >= digitGroup {
                        cuts.cut(at: position)
                        groupStart = position
                    }
                }
                cuts.cut(at: position)
                continue
            }
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`. As in llama.cpp, the test looks past a leading space but
            // requires the code point itself to be inside the segment.
            let leadingSpace = codepoint == 0x20
            var next = leadingSpace ? segment.flags(position + 1) : flags
            if next.rawValue & CodepointFlags.wordClasses.rawValue == 0 && !flags.isEmpty {
                if leadingSpace { position += 1 }
                while next.isOther {
                    position += 1
                    next = segment.flags(position)
                }
                while true {
                    let trailing = segment.codepoint(position)
                    guard trailing == 0x0D || trailing == 0x0A else { break }
                    position += 1
                }
                cuts.cut(at: position)
                continue
            }
            // `\s*[\r\n]+`: white space up to and including its last line break.
            var count = 0
            var afterLastBreak = 0
            while segment.flags(position + count).has(.whitespace) {
                let space = segment.codepoint(position + count)
                if space == 0x0D || space == 0x0A { afterLastBreak = position + count + 1 }
                count += 1
            }
            if afterLastBreak > 0 {
                position = afterLastBreak
                cuts.cut(at: position)
                continue
            }
            if let runEnd = whitespaceRun(segment, at: position) {
                position = runEnd
                cuts.cut(at: position)
                continue
            }
            position += 1
            cuts.cut(at: position)
        }
    }
}
