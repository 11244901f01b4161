import ParleyKnowledge
import Testing

@Suite("Chunking")
struct ChunkerTests {
    let words: @Sendable (String) -> Int = { $0.split(separator: " ").count }

    @Test func longTextIsCutIntoOverlappingChunksOfTheConfiguredSize() {
        let text = (1...50).map { "w\($0)" }.joined(separator: " ")
        let chunker = Chunker(size: 20, overlap: 5, tokenCount: words)
        let chunks = chunker.chunks(of: ExtractedText(title: nil, sections: [.init(text: text, page: 3)]))
        #expect(chunks.allSatisfy { $0.tokens <= 20 && $0.page == 3 })
        #expect(chunks[0].text.hasPrefix("w1 ") && chunks[0].text.hasSuffix(" w20"))
        // Each chunk starts with the last five words of the one before.
        #expect(chunks[1].text.hasPrefix("w16 "))
        #expect(chunks.last?.text.hasSuffix("w50") == true)
    }

    @Test func shortRecordsShareAChunkAndKeepTheFirstRow() {
        let rows = (1...10).map { ExtractedText.Section(text: "a b c d", row: $0, joinable: true) }
        let chunks = Chunker(size: 12, overlap: 0, tokenCount: words).chunks(
            of: ExtractedText(title: nil, sections: rows))
        #expect(chunks.map(\.row) == [1, 4, 7, 10])
        #expect(chunks[0].text == "a b c d\na b c d\na b c d")
    }

    @Test func headingsStayWithTheirText() {
        let document = MarkdownExtractor.extract("# Title\n\nIntro.\n\n## Setup\n\nPlug it in.\n", title: nil)
        let chunks = Chunker(tokenCount: words).chunks(of: document)
        #expect(document.title == "Title")
        #expect(chunks.map(\.heading) == ["Title", "Setup"])
        #expect(chunks.map(\.text) == ["Intro.", "Plug it in."])
    }
}
