import Foundation

/// A PDF's text page by page, read by poppler's `pdfinfo` and `pdftotext` (Debian's `poppler-utils`):
/// one call reads every page, which `pdftotext` separates with form feeds.
public enum PDFExtractor {
    public static func extract(fileAt path: String, title fallback: String?) throws -> ExtractedText {
        let info = try run("pdfinfo", [path])
        guard info.status == 0 else {
            if info.error.lowercased().contains("password") {
                throw ExtractionError("the PDF is encrypted (password protected)")
            }
            throw ExtractionError("the PDF is corrupt or unreadable: \(firstLine(info.error) ?? "pdfinfo failed")")
        }
        let fields = parseInfo(info.output)
        if let encrypted = fields["Encrypted"], encrypted.hasPrefix("yes") {
            throw ExtractionError("the PDF is encrypted (password protected)")
        }
        let text = try run("pdftotext", ["-enc", "UTF-8", "-eol", "unix", path, "-"])
        guard text.status == 0 else {
            throw ExtractionError("the PDF is corrupt or unreadable: \(firstLine(text.error) ?? "pdftotext failed")")
        }
        var sections: [ExtractedText.Section] = []
        for (index, page) in text.output.split(separator: "\u{0C}", omittingEmptySubsequences: false).enumerated() {
            let body = page.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: "\n")
            if !body.isEmpty { sections.append(.init(text: body, page: index + 1)) }
        }
        guard !sections.isEmpty else { throw ExtractionError("the PDF has no text (a scan without OCR?)") }
        let title = fields["Title"].flatMap { $0.isEmpty ? nil : $0 }
        return ExtractedText(title: title ?? fallback, sections: sections)
    }

    /// The number of pages `pdfinfo` reports, or nil.
    public static func pageCount(fileAt path: String) -> Int? {
        guard let info = try? run("pdfinfo", [path]), info.status == 0 else { return nil }
        return parseInfo(info.output)["Pages"].flatMap { Int($0) }
    }

    static func parseInfo(_ output: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in output.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    private static func firstLine(_ text: String) -> String? {
        text.split(separator: "\n").first.map(String.init)
    }

    struct Outcome {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs a poppler tool found on PATH, reading its output and errors at once (a full pipe would block it).
    static func run(_ tool: String, _ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ExtractionError("cannot run \(tool) (install poppler-utils): \(error)")
        }
        let errorData = LockedData()
        let reader = Thread {
            errorData.set(error.fileHandleForReading.readDataToEndOfFile())
        }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        if process.terminationStatus == 127 {
            throw ExtractionError("\(tool) is not installed (install poppler-utils)")
        }
        return Outcome(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData.get(), as: UTF8.self))
    }
}

/// Data handed from the thread that drains a tool's error pipe.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data ?? Data() } }
    var isSet: Bool { lock.withLock { data != nil } }
}
