import Foundation

/// BERT's WordPiece tokenizer: the basic split into words, then each word cut greedily into the
/// longest pieces of the vocabulary (continuations prefixed `##`); a word that cannot be cut, or is
/// longer than 100 characters, becomes `[UNK]`. Special tokens written literally in the text
/// (`[CLS]`, `[SEP]`, `[PAD]`, `[MASK]`, `[UNK]`) are read as themselves, before any normalisation, as
/// the Hugging Face tokenizer of these models does.
struct WordPieceTokenizer: Sendable {
    static let specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    let vocabulary: [String: Int32]
    /// Special tokens (as UTF-8) and their ids.
    let specials: [([UInt8], Int32)]
    let splitter: BertTextSplitter
    let unknownID: Int32
    let classID: Int32
    let separatorID: Int32
    let maxCharactersPerWord = 100

    /// Reads `vocab.txt`: one piece a line, its id the line number.
    init(vocabularyFile path: String, lowercase: Bool) throws(EmbeddingModelError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .missingFile(path) }
        guard let text = String(data: data, encoding: .utf8) else { throw .corrupt(path, "not UTF-8 text") }
        var vocabulary: [String: Int32] = [:]
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        vocabulary.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            let piece = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if vocabulary[piece] == nil { vocabulary[piece] = Int32(index) }
        }
        func id(_ piece: String) throws(EmbeddingModelError) -> Int32 {
            guard let id = vocabulary[piece] else { throw .corrupt(path, "the vocabulary has no \(piece)") }
            return id
        }
        self.vocabulary = vocabulary
        self.unknownID = try id("[UNK]")
        self.classID = try id("[CLS]")
        self.separatorID = try id("[SEP]")
        self.splitter = BertTextSplitter(lowercase: lowercase, stripAccents: lowercase)
        self.specials = Self.specialTokens.compactMap { token in vocabulary[token].map { (Array(token.utf8), $0) } }
    }

    var count: Int { vocabulary.count }

    /// The word pieces of `text`, without [CLS] and [SEP].
    func pieces(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        for segment in segments(text) {
            switch segment {
            case .special(let id): ids.append(id)
            case .text(let part): for word in splitter.words(part) { append(word, to: &ids) }
            }
        }
        return ids
    }

    private enum Segment {
        case text(String)
        case special(Int32)
    }

    /// The text cut at every literal special token.
    private func segments(_ text: String) -> [Segment] {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "[")) else { return [.text(text)] }
        var result: [Segment] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "["),
                let (token, id) = specials.first(where: { bytes[index...].starts(with: $0.0) })
            {
                if index > start { result.append(.text(String(decoding: bytes[start..<index], as: UTF8.self))) }
                result.append(.special(id))
                index += token.count
                start = index
            } else {
                index += 1
            }
        }
        if start < bytes.count { result.append(.text(String(decoding: bytes[start...], as: UTF8.self))) }
        return result
    }

    /// [CLS], at most `maxTokens - 2` pieces, [SEP].
    func encode(_ text: String, maxTokens: Int) -> [Int32] {
        var ids = pieces(text)
        if ids.count > maxTokens - 2 { ids.removeLast(ids.count - (maxTokens - 2)) }
        return [classID] + ids + [separatorID]
    }

    private func append(_ word: [Unicode.Scalar], to ids: inout [Int32]) {
        if word.count > maxCharactersPerWord {
            ids.append(unknownID)
            return
        }
        let mark = ids.count
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while end > start {
                var piece = start > 0 ? "##" : ""
                piece.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary[piece] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else {
                ids.removeLast(ids.count - mark)
                ids.append(unknownID)
                return
            }
            ids.append(found)
            start = end
        }
    }
}
