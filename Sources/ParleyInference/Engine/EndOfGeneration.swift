/// The tokens that end an answer: the file's end-of-sequence, end-of-turn and end-of-message ids,
/// and control tokens that chat formats use to close a turn (as llama.cpp treats them).
enum EndOfGeneration {
    private static let closingTexts: Set<String> = [
        "<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<|eom_id|>",
        "</s>", "<|return|>", "<|call|>",
    ]
    private static let controlType = 3

    static func tokens(in file: GGUFFile) -> Set<Int32> {
        var result: Set<Int32> = []
        for key in ["tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id"] {
            if let id = file.metadata[key]?.int, let token = Int32(exactly: id) { result.insert(token) }
        }
        if let texts = file.metadata["tokenizer.ggml.tokens"]?.stringArray {
            let types = file.metadata["tokenizer.ggml.token_type"]?.intArray
            for (index, text) in texts.enumerated() where closingTexts.contains(text) {
                let type = types.flatMap { index < $0.count ? $0[index] : nil }
                if type == nil || type == controlType { result.insert(Int32(index)) }
            }
        }
        return result
    }
}
