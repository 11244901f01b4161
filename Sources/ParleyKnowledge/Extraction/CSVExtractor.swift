import Foundation

/// A CSV file as records: the first row names the fields, and each later row becomes one section
/// `name: value; name: value` with its row number (the first data row is row 1). The file is read in
/// pieces, never whole.
public enum CSVExtractor {
    public static func extract(
        fileAt path: String, title: String?, progress: (Int) throws -> Void = { _ in }
    ) throws -> ExtractedText {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ExtractionError.unreadable("cannot open the file")
        }
        defer { try? handle.close() }
        var parser = CSVParser()
        var header: [String]?
        var sections: [ExtractedText.Section] = []
        var row = 0
        let emit: ([String], Int) throws -> Void = { record, line in
            guard let names = header else {
                header = record.map { $0.trimmingCharacters(in: .whitespaces) }
                return
            }
            guard record.count == names.count else {
                throw CSVParser.Malformed(line: line, problem: "expected \(names.count) fields, found \(record.count)")
            }
            row += 1
            var text = ""
            for (name, value) in zip(names, record) where !value.isEmpty {
                if !text.isEmpty { text += "; " }
                text += name + ": " + value
            }
            sections.append(.init(text: text, row: row, joinable: true))
            if row % 1000 == 0 { try progress(row) }
        }
        do {
            while true {
                let piece = try handle.read(upToCount: 1 << 16) ?? Data()
                if piece.isEmpty { break }
                if row == 0, header == nil, piece.prefix(4096).contains(0) {
                    throw ExtractionError.binary
                }
                try parser.feed(piece, emit: emit)
            }
            try parser.finish(emit: emit)
        } catch let malformed as CSVParser.Malformed {
            throw ExtractionError.malformed(malformed.description)
        }
        guard header != nil else { throw ExtractionError.empty }
        return ExtractedText(title: title, sections: sections)
    }
}
