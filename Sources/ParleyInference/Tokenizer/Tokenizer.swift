/// Turns text into token ids and back, as llama.cpp does for the same vocabulary: byte-level BPE
/// (`tokenizer.ggml.model` "gpt2", with the pre-tokenizer the file names) or SentencePiece ("llama").
///
/// Thread-safe; one instance serves every request on a model.
public final class Tokenizer: Sendable {
    enum Algorithm: Sendable {
        case bytePair(PreTokenizer)
        case sentencePiece
    }

    /// `tokenizer.ggml.model`.
    public let modelName: String
    /// Number of tokens in the vocabulary; ids are `0..<vocabularySize`.
    public let vocabularySize: Int
    /// Whether `encode(_:addSpecial: true, ...)` puts BOS first.
    public let addsBOS: Bool
    /// Whether `encode(_:addSpecial: true, ...)` puts EOS last.
    public let addsEOS: Bool
    /// Every id that ends generation (EOS, end of turn, end of message, and llama.cpp's others).
    public let endOfGenerationIDs: Set<Int32>

    let algorithm: Algorithm
    let texts: [String]
    let attributes: [TokenAttributes]
    /// Each token's bytes as `piece(of:renderSpecial: true)` gives them.
    let pieces: PieceTable
    let specialIDs: [Vocabulary.SpecialToken: Int32]
    let addSpacePrefix: Bool
    let cleansSpaces: Bool
    let splitter: SpecialTokenSplitter
    let mergeTable: MergeTable
    let symbols: SymbolIndex
    let cache = WordCache()

    /// Builds the tokenizer for a vocabulary.
    /// - Throws: `TokenizerError` for an unsupported model or pre-tokenizer, or inconsistent arrays.
    public init(vocabulary: Vocabulary) throws(TokenizerError) {
        let count = vocabulary.tokens.count
        guard count > 0, count < Int(Int32.max) / 2 else { throw .invalidVocabulary("it has \(count) tokens") }
        if let types = vocabulary.tokenTypes, types.count < count {
            throw .invalidVocabulary("\(types.count) token types for \(count) tokens")
        }
        if let scores = vocabulary.scores, scores.count < count {
            throw .invalidVocabulary("\(scores.count) scores for \(count) tokens")
        }

        let defaults: [Vocabulary.SpecialToken: Int32]
        let addsBOS: Bool
        let cleansSpaces: Bool
        switch vocabulary.model {
        case "gpt2":
            guard let preTokenizer = PreTokenizer.named(vocabulary.preTokenizer) else {
                throw .unsupportedPreTokenizer(vocabulary.preTokenizer ?? "")
            }
            algorithm = .bytePair(preTokenizer)
            // llama.cpp's defaults for BPE vocabularies (Falcon's ids).
            defaults = [.bos: 11, .eos: 11]
            addsBOS = preTokenizer.addsBOSByDefault
            cleansSpaces = preTokenizer.cleansSpaces
            addSpacePrefix = vocabulary.addSpacePrefix ?? false
        case "llama":
            algorithm = .sentencePiece
            defaults = [.bos: 1, .eos: 2, .unknown: 0]
            addsBOS = true
            cleansSpaces = false
            addSpacePrefix = vocabulary.addSpacePrefix ?? true
        default:
            throw .unsupportedModel(vocabulary.model)
        }
        modelName = vocabulary.model
        vocabularySize = count
        self.cleansSpaces = cleansSpaces

        // llama.cpp renames empty tokens so that every text is a distinct, findable key.
        texts = vocabulary.tokens.enumerated().map { $1.isEmpty ? "[EMPTY_\($0)]" : $1 }
        let textBytes = texts.map { Array($0.utf8) }
        let roles = SpecialTokenRoles(
            texts: textBytes.map(ByteString.init),
            attributes: (0..<count).map { TokenAttributes(vocabulary.tokenTypes?[$0]) },
            fileIDs: vocabulary.specialTokenIDs,
            defaults: defaults
        )
        attributes = roles.attributes
        specialIDs = roles.ids
        endOfGenerationIDs = roles.endOfGeneration
        self.addsBOS = (vocabulary.addBOS ?? addsBOS) && roles.ids[.bos] != nil
        self.addsEOS = (vocabulary.addEOS ?? false) && roles.ids[.eos] != nil
        splitter = SpecialTokenSplitter(tokens: textBytes, attributes: attributes)

        switch algorithm {
        case .bytePair(let preTokenizer):
            (mergeTable, symbols) = SymbolIndex.bytePair(
                texts: textBytes, merges: vocabulary.merges, wholeWords: preTokenizer.ignoresMerges
            )
        case .sentencePiece:
            (mergeTable, symbols) = SymbolIndex.sentencePiece(
                texts: textBytes, scores: vocabulary.scores, unknownID: roles.ids[.unknown]
            )
        }
        let algorithm = algorithm
        let attributes = attributes
        pieces = PieceTable(count: count) { index in
            Self.renderedPiece(textBytes[index], attributes[index], algorithm)
        }
    }

    /// Reads the vocabulary from a GGUF file and builds its tokenizer.
    public convenience init(gguf file: GGUFFile) throws(TokenizerError) {
        try self.init(vocabulary: Vocabulary(gguf: file))
    }

    /// The pre-tokenizer's name, for byte-level BPE.
    public var preTokenizerName: String? {
        if case .bytePair(let preTokenizer) = algorithm { return preTokenizer.name }
        return nil
    }

    /// The id of a special token role (BOS, EOS, end of turn, ...), if the vocabulary has one.
    public func id(of role: Vocabulary.SpecialToken) -> Int32? { specialIDs[role] }

    public var bosTokenID: Int32? { specialIDs[.bos] }
    public var eosTokenID: Int32? { specialIDs[.eos] }

    /// The id of the token whose vocabulary text is exactly `text` (`"<|im_end|>"`), if any.
    public func id(ofText text: String) -> Int32? {
        symbols.tokenID(Array(text.utf8))
    }

    /// The token's text as the vocabulary writes it (byte-level BPE: "Ġworld"; SentencePiece: "▁world").
    public func text(of id: Int32) -> String? {
        isValid(id) ? texts[Int(id)] : nil
    }

    /// What the token is (control, user-defined, byte, ...).
    public func attributes(of id: Int32) -> TokenAttributes {
        isValid(id) ? attributes[Int(id)] : []
    }

    /// Whether generating this token ends the answer (EOS, `<|im_end|>`, `<|eot_id|>`, ...).
    public func isEndOfGeneration(_ id: Int32) -> Bool {
        endOfGenerationIDs.contains(id)
    }

    @inline(__always)
    func isValid(_ id: Int32) -> Bool { id >= 0 && Int(id) < vocabularySize }
}
