import Testing

@testable import ParleyInference

/// The word splits of each pre-tokenizer, on the cases where they differ.
@Suite struct PreTokenizerTests {
    func words(_ name: String, _ text: String) throws -> [String] {
        let preTokenizer = try #require(PreTokenizer.named(name))
        let bytes = Array(text.utf8)
        let decoded = DecodedText(bytes[...])
        let ranges = decoded.codepoints.withUnsafeBufferPointer { codepoints in
            decoded.flags.withUnsafeBufferPointer { preTokenizer.split(codepoints, $0) }
        }
        return ranges.map {
            String(
                decoding: bytes[decoded.byteOffsets[$0.lowerBound]..<decoded.byteOffsets[$0.upperBound]], as: UTF8.self)
        }
    }

    @Test func gpt2KeepsOneSpaceWithTheNextWord() throws {
        #expect(
            try words("gpt-2", "Hello world's  123!!  \n")
                == ["Hello", " world", "'s", " ", " 123", "!!", "  \n"])
        #expect(try words("gpt-2", "DON'T") == ["DON", "'", "T"])
    }

    @Test func smolLMSplitsEveryDigit() throws {
        #expect(try words("smollm", "in 2024, x1") == ["in", " ", "2", "0", "2", "4", ",", " x", "1"])
    }

    @Test func llama3GroupsDigitsByThreeAndKeepsLineBreaksTogether() throws {
        #expect(try words("llama-bpe", "12345 DON'T\n\n  x") == ["123", "45", " DON", "'T", "\n\n", " ", " x"])
        #expect(try words("llama-bpe", "a.\n\nb") == ["a", ".\n\n", "b"])
    }

    @Test func qwen2SplitsEveryDigit() throws {
        #expect(try words("qwen2", "v2024") == ["v", "2", "0", "2", "4"])
    }

    @Test func theFallbackSeparatesPunctuationRunsAndDigitTriples() throws {
        #expect(try words("default", "a+b==c 12345") == ["a", "+", "b", "==", "c", " ", "123", "45"])
    }

    @Test func charactersNewerThanLlamaCppsTablesAreUndefined() {
        // U+1C89 CYRILLIC CAPITAL LETTER TJE is a letter since Unicode 16; llama.cpp's 15.1 tables
        // do not know it.
        #expect(CodepointFlags.of(0x1C89) == .undefined)
        #expect(CodepointFlags.of(0x0416) == .letter)
        #expect(CodepointFlags.of(0x3000) == [.separator, .whitespace])
        #expect(CodepointFlags.of(0x1F600) == .symbol)
    }
}
