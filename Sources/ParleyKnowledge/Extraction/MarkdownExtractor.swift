import Foundation

/// Markdown and plain text: each ATX heading (`#` to `######`) starts a section that carries it.
public enum MarkdownExtractor {
    public static func extract(_ text: String, title fallback: String?) -> ExtractedText {
        var sections: [ExtractedText.Section] = []
        var heading: String?
        var title: String?
        var lines: [Substring] = []
        var inFence = false
        func close() {
            let body = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if !body.isEmpty { sections.append(.init(text: body, heading: heading)) }
            lines = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle() }
            if !inFence, let level = headingLevel(trimmed) {
                close()
                let name = trimmed.dropFirst(level).trimmingCharacters(in: .whitespaces)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "#")).trimmingCharacters(in: .whitespaces)
                heading = name.isEmpty ? heading : name
                if level == 1, title == nil, !name.isEmpty { title = name }
                continue
            }
            lines.append(line)
        }
        close()
        return ExtractedText(title: title ?? fallback, sections: sections)
    }

    private static func headingLevel(_ line: Substring) -> Int? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        return rest.isEmpty || rest.first == " " ? hashes : nil
    }
}
