import Testing

@testable import ParleyKnowledge

@Suite("CSV parser")
struct CSVParserTests {
    func parse(_ text: String, pieceSize: Int = 3) throws -> [[String]] {
        var parser = CSVParser()
        var records: [[String]] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            try parser.feed(bytes[start..<min(start + pieceSize, bytes.count)]) { record, _ in records.append(record) }
            start += pieceSize
        }
        try parser.finish { record, _ in records.append(record) }
        return records
    }

    @Test func quotedFieldsKeepCommasQuotesAndLineBreaks() throws {
        let records = try parse("name,note\r\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\r\nplain,x")
        #expect(records == [["name", "note"], ["Smith, J", "said \"hi\"\nthen left"], ["plain", "x"]])
    }

    @Test func blankLinesAndAFinalLineBreakMakeNoRecords() throws {
        #expect(try parse("a,b\n\n1,2\n") == [["a", "b"], ["1", "2"]])
    }

    @Test func anUnclosedQuoteIsMalformedAtTheLineItBegan() throws {
        #expect(throws: CSVParser.Malformed.self) { try parse("a,b\n1,\"open\n2,3\n") }
        do {
            _ = try parse("a,b\n1,\"open\n2,3\n")
        } catch let error as CSVParser.Malformed {
            #expect(error.line == 2)
        }
    }

    @Test func aQuoteInsideAnUnquotedFieldIsMalformed() throws {
        do {
            _ = try parse("a,b\n1,2\n3,x\"y\n")
            Issue.record("expected an error")
        } catch let error as CSVParser.Malformed {
            #expect(error.line == 3)
        }
    }
}
