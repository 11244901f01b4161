extension Tokenizer: TokenDecoding {
    /// The token's text as generated output shows it: control tokens give nothing.
    public func bytes(of token: Int32) -> [UInt8] {
        piece(of: token)
    }
}
