/// Why a tokenizer could not be built from a vocabulary. The message names what is wrong, so that it
/// can be shown as is.
public struct TokenizerError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case unsupportedModel
        case unsupportedPreTokenizer
        case missingMetadata
        case invalidVocabulary
    }

    private let code: Code
    /// What is wrong.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `tokenizer.ggml.model` names a tokenizer Parley does not implement.
    public static func unsupportedModel(_ model: String) -> TokenizerError {
        TokenizerError(
            .unsupportedModel,
            "unsupported tokenizer model '\(model)' (supported: 'gpt2' byte-level BPE, 'llama' SentencePiece)"
        )
    }

    /// `tokenizer.ggml.pre` names a pre-tokenizer Parley does not implement.
    public static func unsupportedPreTokenizer(_ name: String) -> TokenizerError {
        TokenizerError(
            .unsupportedPreTokenizer,
            "unsupported pre-tokenizer '\(name)' (supported: \(PreTokenizer.supportedNames.joined(separator: ", ")))"
        )
    }

    /// A metadata key the tokenizer needs is absent or has the wrong type.
    public static func missingMetadata(_ key: String, _ expected: String) -> TokenizerError {
        TokenizerError(.missingMetadata, "the model file has no \(key) (\(expected))")
    }

    /// The vocabulary's parts do not fit together (array lengths, ids out of range).
    public static func invalidVocabulary(_ problem: String) -> TokenizerError {
        TokenizerError(.invalidVocabulary, "invalid tokenizer vocabulary: \(problem)")
    }

    public var isUnsupportedModel: Bool { code == .unsupportedModel }
    public var isUnsupportedPreTokenizer: Bool { code == .unsupportedPreTokenizer }

    public var description: String { message }
}
