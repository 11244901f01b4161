/// What the engine needs of a tokenizer to turn generated tokens into text.
public protocol TokenDecoding: Sendable {
    /// The bytes token `token` stands for in generated text; empty for control tokens.
    func bytes(of token: Int32) -> [UInt8]
}
