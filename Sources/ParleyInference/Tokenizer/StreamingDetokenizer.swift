/// Turns generated tokens into text as they come, holding back the bytes of a UTF-8 character that
/// a token leaves unfinished (an emoji is often split over several byte tokens) until it completes.
public struct StreamingDetokenizer: Sendable {
    private let tokenizer: Tokenizer
    private let renderSpecial: Bool
    private var pending: [UInt8] = []

    /// - Parameter renderSpecial: give control tokens their text instead of nothing.
    public init(tokenizer: Tokenizer, renderSpecial: Bool = false) {
        self.tokenizer = tokenizer
        self.renderSpecial = renderSpecial
    }

    /// The text that this token completes; empty while a character is still unfinished.
    public mutating func append(_ id: Int32) -> String {
        pending.append(contentsOf: tokenizer.pieceBytes(id, renderSpecial: renderSpecial))
        let complete = Self.completeLength(pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Whatever is held back, at the end of the stream (an unfinished character reads as U+FFFD).
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// How many leading bytes can be shown: all but a trailing character that more bytes could still
    /// complete.
    static func completeLength(_ bytes: [UInt8]) -> Int {
        var start = bytes.count
        // Walk back over at most three continuation bytes to the last lead byte.
        while start > 0 && bytes.count - start < 3 && bytes[start - 1] & 0xC0 == 0x80 { start -= 1 }
        guard start > 0 else { return bytes.count }
        let lead = bytes[start - 1]
        let needed: Int
        switch lead {
        case 0xC2...0xDF: needed = 2
        case 0xE0...0xEF: needed = 3
        case 0xF0...0xF4: needed = 4
        default: return bytes.count  // ASCII, or a byte no continuation can fix
        }
        let have = bytes.count - (start - 1)
        return have < needed ? start - 1 : bytes.count
    }
}

extension Tokenizer {
    /// A detokenizer for one generated answer.
    public func makeStreamingDetokenizer(renderSpecial: Bool = false) -> StreamingDetokenizer {
        StreamingDetokenizer(tokenizer: self, renderSpecial: renderSpecial)
    }
}
