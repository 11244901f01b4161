import Foundation

/// The readable text of an HTML page: its title, and the text under each heading (h1–h6) as a section.
/// Tolerant of broken markup: it reads tags one by one and never builds a tree. Scripts, styles,
/// navigation, headers, footers and asides are dropped; entities are decoded.
public enum HTMLExtractor {
    /// Elements whose content is never text to index.
    static let skipped: Set<String> = [
        "script", "style", "noscript", "template", "svg", "nav", "footer", "header", "aside", "form", "button",
        "select", "iframe", "canvas", "head",
    ]
    /// Elements that end a line of text.
    static let blocks: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article", "main", "blockquote",
        "pre", "dd", "dt", "dl", "hr", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6",
    ]

    public static func extract(_ html: String) -> ExtractedText {
        var title: String?
        var sections: [ExtractedText.Section] = []
        var heading: String?
        var text = ""
        var headingText: String?
        var skipDepth: [String] = []
        var inTitle = false
        var titleText = ""

        func closeSection() {
            let body = normalise(text)
            if !body.isEmpty { sections.append(.init(text: body, heading: heading)) }
            text = ""
        }

        let characters = Array(html.unicodeScalars)
        var index = 0
        var pending = ""
        func flushText() {
            guard !pending.isEmpty else { return }
            let decoded = decodeEntities(pending)
            pending = ""
            if inTitle {
                titleText += decoded
                return
            }
            guard skipDepth.isEmpty else { return }
            if headingText != nil { headingText! += decoded } else { text += decoded }
        }
        while index < characters.count {
            let scalar = characters[index]
            guard scalar == "<" else {
                pending.unicodeScalars.append(scalar)
                index += 1
                continue
            }
            flushText()
            // Comments and doctype.
            if matches(characters, at: index, "<!--") {
                index = find(characters, "-->", from: index + 4).map { $0 + 3 } ?? characters.count
                continue
            }
            guard let close = characters[index...].firstIndex(of: ">") else { break }
            let tag = String(String.UnicodeScalarView(characters[(index + 1)..<close]))
            index = close + 1
            let closing = tag.hasPrefix("/")
            let name = tag.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber }).lowercased()
            guard !name.isEmpty else { continue }
            if name == "title" && skipDepth.filter({ $0 != "head" }).isEmpty {
                if closing {
                    inTitle = false
                    if title == nil { title = normalise(titleText) }
                } else {
                    inTitle = true
                }
                continue
            }
            if skipped.contains(name) {
                if closing {
                    if let last = skipDepth.lastIndex(of: name) { skipDepth.removeSubrange(last...) }
                } else if !tag.hasSuffix("/") {
                    skipDepth.append(name)
                }
                // Raw text elements: skip straight to their end tag (their content may hold '<').
                if !closing, name == "script" || name == "style" {
                    if let end = find(characters, "</\(name)", from: index) {
                        index = end
                    } else {
                        index = characters.count
                    }
                }
                continue
            }
            guard skipDepth.isEmpty else { continue }
            if name.count == 2, name.first == "h", let level = name.last?.wholeNumberValue, (1...6).contains(level) {
                if closing {
                    let found = normalise(headingText ?? "")
                    headingText = nil
                    if !found.isEmpty { heading = found }
                } else {
                    closeSection()
                    headingText = ""
                }
                continue
            }
            if blocks.contains(name) {
                if headingText == nil { text += "\n" }
            } else if headingText == nil {
                text += " "
            }
        }
        flushText()
        closeSection()
        return ExtractedText(title: title.flatMap { $0.isEmpty ? nil : $0 }, sections: sections)
    }

    /// Collapses runs of spaces within lines and drops empty lines.
    static func normalise(_ text: String) -> String {
        text.split(separator: "\n").map { line in
            line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{A0}" }).joined(
                separator: " ")
        }.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "mdash": "—", "ndash": "–",
        "hellip": "…", "copy": "©", "reg": "®", "rsquo": "’", "lsquo": "‘", "rdquo": "”", "ldquo": "“",
    ]

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semicolon = after.prefix(10).firstIndex(of: ";") {
                let name = String(after[..<semicolon])
                var replacement: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if name.hasPrefix("#") {
                    replacement = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    replacement = namedEntities[name]
                }
                if let replacement {
                    result += replacement
                    rest = after[after.index(after: semicolon)...]
                    continue
                }
            }
            result += "&"
            rest = after
        }
        return result + rest
    }

    private static func matches(_ characters: [Unicode.Scalar], at index: Int, _ literal: String) -> Bool {
        let scalars = Array(literal.unicodeScalars)
        guard index + scalars.count <= characters.count else { return false }
        for offset in 0..<scalars.count where characters[index + offset] != scalars[offset] { return false }
        return true
    }

    /// The index of `literal` (ASCII, matched without case) at or after `from`.
    private static func find(_ characters: [Unicode.Scalar], _ literal: String, from: Int) -> Int? {
        let scalars = Array(literal.lowercased().unicodeScalars)
        guard !scalars.isEmpty, characters.count >= scalars.count else { return nil }
        var index = from
        while index + scalars.count <= characters.count {
            var hit = true
            for offset in 0..<scalars.count {
                let scalar = characters[index + offset]
                let lower =
                    scalar.isASCII
                    ? Unicode.Scalar(UInt8(ascii: scalar) | (scalar.properties.isUppercase ? 0x20 : 0)) : scalar
                if lower != scalars[offset] {
                    hit = false
                    break
                }
            }
            if hit { return index }
            index += 1
        }
        return nil
    }
}
