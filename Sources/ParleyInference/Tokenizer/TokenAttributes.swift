/// What a token is, after the vocabulary's types are corrected the way llama.cpp corrects them
/// (chat markers such as `<|im_end|>` become control tokens even when the file calls them normal).
/// The bits have llama.cpp's `llama_token_attr` values, so fixtures can compare them.
public struct TokenAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let unknown = TokenAttributes(rawValue: 1 << 0)
    public static let unused = TokenAttributes(rawValue: 1 << 1)
    public static let normal = TokenAttributes(rawValue: 1 << 2)
    public static let control = TokenAttributes(rawValue: 1 << 3)
    public static let userDefined = TokenAttributes(rawValue: 1 << 4)
    public static let byte = TokenAttributes(rawValue: 1 << 5)

    /// Tokens whose piece is empty unless special tokens are rendered.
    static let hiddenUnlessRendered: TokenAttributes = [.control, .unknown]

    init(_ type: TokenType?) {
        switch type {
        case nil, .normal: self = .normal
        case .undefined: self = []
        case .unknown: self = .unknown
        case .control: self = .control
        case .userDefined: self = .userDefined
        case .unused: self = .unused
        case .byte: self = .byte
        }
    }
}
