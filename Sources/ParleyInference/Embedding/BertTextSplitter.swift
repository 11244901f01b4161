import Foundation

/// BERT's "basic" tokenisation, as the Hugging Face `BertNormalizer` + `BertPreTokenizer` do it: drops
/// control characters, turns whitespace into spaces, isolates CJK ideographs, strips accents (NFD, then
/// no nonspacing marks), lowercases character by character, and splits into words at whitespace and
/// around every punctuation character.
struct BertTextSplitter: Sendable {
    var lowercase = true
    var stripAccents = true

    /// The words of `text`, each as its Unicode scalars.
    func words(_ text: String) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        func flush() {
            if !current.isEmpty {
                words.append(current)
                current.removeAll(keepingCapacity: true)
            }
        }
        for scalar in normalized(text) {
            if scalar == " " || scalar.properties.isWhitespace {
                flush()
            } else if Self.isPunctuation(scalar) {
                flush()
                words.append([scalar])
            } else {
                current.append(scalar)
            }
        }
        flush()
        return words
    }

    /// The text after cleaning, CJK spacing, accent stripping and lowercasing.
    func normalized(_ text: String) -> [Unicode.Scalar] {
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        // Canonical decomposition only matters where accents are stripped and there is something
        // beyond ASCII; CJK spacing and cleaning commute with it.
        let source = (!ascii && stripAccents) ? text.decomposedStringWithCanonicalMapping : text
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(source.unicodeScalars.underestimatedCount)
        for scalar in source.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                if value == 9 || value == 10 || value == 13 || value == 32 {
                    output.append(" ")
                } else if value < 32 || value == 127 {
                    continue
                } else if lowercase, value >= 65, value <= 90 {
                    output.append(Unicode.Scalar(value + 32)!)
                } else {
                    output.append(scalar)
                }
                continue
            }
            if value == 0xFFFD || Self.isControl(scalar) { continue }
            if scalar.properties.isWhitespace {
                output.append(" ")
                continue
            }
            if stripAccents, scalar.properties.generalCategory == .nonspacingMark { continue }
            if Self.isCJK(value) {
                output.append(" ")
                output.append(scalar)
                output.append(" ")
                continue
            }
            if lowercase {
                output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return output
    }

    /// Other (C*) categories, except the whitespace controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: true
        default: false
        }
    }

    /// ASCII punctuation (which includes symbols like `$`, `+`, `^`) or any Unicode punctuation.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value)
            || (123...126).contains(value)
        {
            return true
        }
        if value < 0x80 { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideographs blocks BERT treats as words of their own.
    static func isCJK(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value)
            || (0x20000...0x2A6DF).contains(value) || (0x2A700...0x2B73F).contains(value)
            || (0x2B740...0x2B81F).contains(value) || (0x2B820...0x2CEAF).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0x2F800...0x2FA1F).contains(value)
    }
}
