import Foundation

/// Progress bars for `parley ingest`, one line per document, redrawn in place on a terminal; on a pipe
/// or file a line is printed when a document's status changes.
final class IngestProgress {
    private let labels: [String]
    private var lines: [String]
    private var statuses: [String]
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var drawn = false

    init(labels: [String]) {
        self.labels = labels
        self.lines = labels.map { "\($0): queued" }
        self.statuses = labels.map { _ in "" }
    }

    func update(_ index: Int, status: String, fraction: Double, detail: String?) {
        let width = 30
        let filled = min(width, Int(fraction * Double(width)))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        var line = "\(labels[index]): \(status) [\(bar)] \(Int(fraction * 100))%"
        if let detail, status == "ready" || status == "failed" { line += " — \(detail)" }
        lines[index] = line
        if isTerminal {
            draw()
        } else if statuses[index] != status {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        statuses[index] = status
    }

    func finish() {
        if !isTerminal { return }
        draw()
    }

    private func draw() {
        var text = drawn ? "\u{1B}[\(lines.count)A" : ""
        for line in lines { text += "\r\u{1B}[2K" + line + "\n" }
        drawn = true
        FileHandle.standardError.write(Data(text.utf8))
    }
}
