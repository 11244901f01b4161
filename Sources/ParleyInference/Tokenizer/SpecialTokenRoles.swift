/// The special token ids and attributes a tokenizer ends up with: the file's ids over llama.cpp's
/// defaults, then llama.cpp's corrections by token text (many files do not name their end-of-turn
/// or fill-in-the-middle tokens, or call chat markers normal tokens).
struct SpecialTokenRoles: Sendable {
    var ids: [Vocabulary.SpecialToken: Int32] = [:]
    var attributes: [TokenAttributes]
    var endOfGeneration: Set<Int32> = []

    /// - Parameters:
    ///   - defaults: llama.cpp's ids for the tokenizer model when the file names none.
    init(
        texts: [ByteString], attributes: [TokenAttributes], fileIDs: [Vocabulary.SpecialToken: Int32],
        defaults: [Vocabulary.SpecialToken: Int32]
    ) {
        self.attributes = attributes
        let count = texts.count
        for role in Vocabulary.SpecialToken.allCases {
            // An id outside the vocabulary is ignored, as llama.cpp ignores it (with a warning).
            if let id = fileIDs[role], id >= 0, Int(id) < count {
                ids[role] = id
            } else if let id = defaults[role], id >= 0, Int(id) < count {
                ids[role] = id
            }
        }
        detectRoles(texts)
        markUnused(texts)
        collectEndOfGeneration(texts)
    }

    /// Roles found by text when the file does not give them. llama.cpp walks a hash map here, so
    /// when two tokens qualify its pick is arbitrary; this takes the lowest id.
    private mutating func detectRoles(_ texts: [ByteString]) {
        for (index, text) in texts.enumerated() where Self.mayBeNamed(text) {
            for (role, names) in Self.namesByRole where ids[role] == nil && names.contains(text) {
                ids[role] = Int32(index)
                attributes[index].insert(.control)
            }
        }
    }

    /// Every name below starts with '<', '[', '_' or '▁' and is short: a cheap test that spares
    /// hashing the whole vocabulary nine times.
    private static func mayBeNamed(_ text: ByteString) -> Bool {
        guard let first = text.bytes.first, text.bytes.count <= 32 else { return false }
        return first == UInt8(ascii: "<") || first == UInt8(ascii: "[") || first == UInt8(ascii: "_") || first == 0xE2
    }

    /// Control tokens named "...unused..." are placeholders.
    private mutating func markUnused(_ texts: [ByteString]) {
        for (index, text) in texts.enumerated()
        where attributes[index].contains(.control) && Self.contains(text.bytes, Array("unused".utf8)) {
            attributes[index].insert(.unused)
        }
    }

    private mutating func collectEndOfGeneration(_ texts: [ByteString]) {
        for role in [Vocabulary.SpecialToken.fimPad, .fimRepository, .fimSeparator] {
            if let id = ids[role] { endOfGeneration.insert(id) }
        }
        for (index, text) in texts.enumerated() where Self.mayBeNamed(text) {
            if Self.endOfGenerationNames.contains(text) {
                endOfGeneration.insert(Int32(index))
                attributes[index].insert(.control)
            }
            // gpt-oss's channel markers must always be rendered.
            if Self.alwaysRenderedNames.contains(text) { attributes[index] = .userDefined }
        }
        for role in [Vocabulary.SpecialToken.eos, .eot, .eom] {
            if let id = ids[role] { endOfGeneration.insert(id) }
        }
        let namesOfEnds = Dictionary(
            endOfGeneration.map { (String(decoding: texts[Int($0)].bytes, as: UTF8.self), $0) }, uniquingKeysWith: min
        )
        // Harmony-style vocabularies end turns with <|return|>/<|call|>; their <|end|> only ends a message.
        if let end = namesOfEnds["<|end|>"],
            (namesOfEnds["<|return|>"] != nil && namesOfEnds["<|call|>"] != nil)
                || ((namesOfEnds["<|call|>"] != nil || namesOfEnds["<|calls|>"] != nil)
                    && namesOfEnds["<|flush|>"] != nil)
        {
            endOfGeneration.remove(end)
            attributes[Int(end)] = .userDefined
        }
        // Gemma 4 and PLaMo use </s> as an ordinary token.
        if let end = namesOfEnds["</s>"], namesOfEnds["<|tool_response>"] != nil || namesOfEnds["<|plamo:eos|>"] != nil
        {
            endOfGeneration.remove(end)
            attributes[Int(end)] = .normal
        }
    }

    private static let namesByRole: [(Vocabulary.SpecialToken, Set<ByteString>)] = [
        (
            .eot,
            [
                "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>",
                "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>",
            ]
        ),
        (.eom, ["<|eom_id|>"]),
        (
            .fimPrefix,
            [
                "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>",
                "<|code_prefix|>", "<|prefix|>",
            ]
        ),
        (
            .fimSuffix,
            [
                "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>",
                "<|code_suffix|>", "<|suffix|>",
            ]
        ),
        (
            .fimMiddle,
            [
                "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>",
                "<|code_middle|>", "<|middle|>",
            ]
        ),
        (.fimPad, ["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"]),
        (.fimRepository, ["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"]),
        (.fimSeparator, ["<|file_sep|>"]),
    ]

    private static let endOfGenerationNames: Set<ByteString> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>",
        "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>",
        "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~[",
    ]

    private static let alwaysRenderedNames: Set<ByteString> = [
        "<|channel|>", "<|message|>", "<|start|>", "<|constrain|>",
    ]

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains {
            haystack[$0..<($0 + needle.count)].elementsEqual(needle)
        }
    }
}
