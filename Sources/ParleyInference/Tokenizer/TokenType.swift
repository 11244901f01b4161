/// The type of a vocabulary entry, as GGUF stores it in `tokenizer.ggml.token_type`.
public enum TokenType: Int32, Sendable, Hashable {
    case undefined = 0
    case normal = 1
    case unknown = 2
    /// BOS, EOS, chat markers: never produced from text unless special tokens are parsed.
    case control = 3
    /// Added tokens that are always matched in text before anything else.
    case userDefined = 4
    case unused = 5
    /// SentencePiece byte fallback, `<0xXX>`.
    case byte = 6
}
