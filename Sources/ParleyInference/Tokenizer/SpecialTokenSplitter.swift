/// Finds special tokens written in text, so that they become their own ids and are never split:
/// llama.cpp's `tokenizer_st_partition`. Tokens are tried longest first; each one cuts every
/// remaining stretch of plain text at all its occurrences, left to right.
struct SpecialTokenSplitter: Sendable {
    /// A piece of the input: plain text (a byte range) or a special token.
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(Int32)
    }

    private struct Candidate: Sendable {
        let id: Int32
        let bytes: [UInt8]
        /// Control and unknown tokens are only matched when asked to parse special tokens;
        /// user-defined ones always are.
        let onlyWhenParsing: Bool
    }

    private let candidates: [Candidate]

    init(tokens: [[UInt8]], attributes: [TokenAttributes]) {
        var candidates: [Candidate] = []
        for (index, attribute) in attributes.enumerated()
        where !attribute.isDisjoint(with: [.control, .userDefined, .unknown]) && !tokens[index].isEmpty {
            candidates.append(
                Candidate(
                    id: Int32(index), bytes: tokens[index],
                    onlyWhenParsing: !attribute.isDisjoint(with: [.control, .unknown]))
            )
        }
        // Longest first; ties by id, where llama.cpp's unstable sort leaves the order unspecified.
        candidates.sort { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id }
        self.candidates = candidates
    }

    func split(_ text: [UInt8], parseSpecial: Bool) -> [Fragment] {
        guard !text.isEmpty else { return [] }
        var fragments: [Fragment] = [.text(0..<text.count)]
        // Most texts hold none of the tokens' first bytes ('<' for most); skip those tokens quickly.
        var present = [Bool](repeating: false, count: 256)
        for byte in text { present[Int(byte)] = true }
        text.withUnsafeBufferPointer { text in
            for candidate in candidates where present[Int(candidate.bytes[0])] {
                if candidate.onlyWhenParsing && !parseSpecial { continue }
                fragments = cut(fragments, at: candidate, in: text)
            }
        }
        return fragments
    }

    private func cut(_ fragments: [Fragment], at candidate: Candidate, in text: UnsafeBufferPointer<UInt8>)
        -> [Fragment]
    {
        var result: [Fragment] = []
        var changed = false
        for fragment in fragments {
            guard case .text(let range) = fragment else {
                result.append(fragment)
                continue
            }
            var start = range.lowerBound
            while let match = Self.find(candidate.bytes, in: text, from: start, to: range.upperBound) {
                changed = true
                if match > start { result.append(.text(start..<match)) }
                result.append(.token(candidate.id))
                start = match + candidate.bytes.count
            }
            if start < range.upperBound { result.append(.text(start..<range.upperBound)) }
        }
        return changed ? result : fragments
    }

    /// The first occurrence of `needle` in `text[from..<to]`.
    private static func find(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        let length = needle.count
        guard to - from >= length else { return nil }
        let first = needle[0]
        var position = from
        let last = to - length
        while position <= last {
            if text[position] == first {
                var offset = 1
                while offset < length && text[position + offset] == needle[offset] { offset += 1 }
                if offset == length { return position }
            }
            position += 1
        }
        return nil
    }
}
