import Foundation

/// Cuts extracted text into chunks of about `size` tokens, each starting with the last `overlap` tokens
/// of the one before (within a section), so a sentence cut at a boundary is whole in one of them. Chunks
/// keep their section's page, row and heading. Words are never split.
public struct Chunker: Sendable {
    public var size: Int
    public var overlap: Int
    /// Counts the tokens of a piece of text for the embedding model.
    public var tokenCount: @Sendable (String) -> Int

    public init(size: Int = 200, overlap: Int = 40, tokenCount: @escaping @Sendable (String) -> Int = Chunker.estimate)
    {
        self.size = max(size, 8)
        self.overlap = min(max(overlap, 0), self.size / 2)
        self.tokenCount = tokenCount
    }

    /// A rough count for when no tokenizer is at hand: WordPiece splits an English word into about 1.3
    /// pieces, and each punctuation mark is one.
    public static let estimate: @Sendable (String) -> Int = { text in
        var words = 0
        var marks = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if !inWord { words += 1 }
                inWord = true
            } else {
                inWord = false
                if !scalar.properties.isWhitespace { marks += 1 }
            }
        }
        return (words * 13 + 9) / 10 + marks
    }

    /// One chunk of text with where it came from.
    public struct Chunk: Sendable, Hashable {
        public var text: String
        public var tokens: Int
        public var page: Int?
        public var row: Int?
        public var heading: String?
    }

    public func chunks(of document: ExtractedText) -> [Chunk] {
        var chunks: [Chunk] = []
        var joined: Chunk?
        for section in document.sections {
            let text = section.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            if section.joinable {
                let tokens = tokenCount(text)
                if var current = joined, current.tokens + tokens <= size, current.heading == section.heading {
                    current.text += "\n" + text
                    current.tokens += tokens
                    joined = current
                    continue
                }
                if let current = joined { chunks.append(current) }
                if tokens <= size {
                    joined = Chunk(
                        text: text, tokens: tokens, page: section.page, row: section.row, heading: section.heading)
                    continue
                }
                joined = nil
            } else if let current = joined {
                chunks.append(current)
                joined = nil
            }
            chunks += split(text, section: section)
        }
        if let current = joined { chunks.append(current) }
        return chunks
    }

    /// A section's text in windows of `size` tokens that overlap by `overlap`.
    private func split(_ text: String, section: ExtractedText.Section) -> [Chunk] {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        let counts = words.map { tokenCount(String($0)) }
        var chunks: [Chunk] = []
        var start = 0
        while start < words.count {
            var end = start
            var tokens = 0
            while end < words.count, tokens + counts[end] <= size || end == start {
                tokens += counts[end]
                end += 1
            }
            chunks.append(
                Chunk(
                    text: words[start..<end].joined(separator: " "), tokens: tokens, page: section.page,
                    row: section.row,
                    heading: section.heading))
            guard end < words.count else { break }
            // Step back over the last `overlap` tokens, but always move forward.
            var next = end
            var carried = 0
            while next > start + 1, carried + counts[next - 1] <= overlap {
                carried += counts[next - 1]
                next -= 1
            }
            start = next
        }
        return chunks
    }
}
