/// The Unicode facts the pre-tokenizers ask about a code point: its general category group
/// (`\p{L}`, `\p{N}`, ...) and whether it is white space (`\s`).
struct CodepointFlags: OptionSet, Sendable {
    let rawValue: UInt16

    static let undefined = CodepointFlags(rawValue: 1 << 0)
    static let number = CodepointFlags(rawValue: 1 << 1)
    static let letter = CodepointFlags(rawValue: 1 << 2)
    static let separator = CodepointFlags(rawValue: 1 << 3)
    static let mark = CodepointFlags(rawValue: 1 << 4)
    static let punctuation = CodepointFlags(rawValue: 1 << 5)
    static let symbol = CodepointFlags(rawValue: 1 << 6)
    static let control = CodepointFlags(rawValue: 1 << 7)
    static let whitespace = CodepointFlags(rawValue: 1 << 8)

    /// llama.cpp's tables are generated from Unicode 15.1: a character assigned later is undefined
    /// there, and token ids only match when the split treats it the same way. Swift's own tables are
    /// newer, so characters younger than this are read as unassigned.
    static let unicodeVersion = (major: 15, minor: 1)

    /// `[^\s\p{L}\p{N}]` inside the segment (positions outside have no flags and do not match).
    @inline(__always)
    var isOther: Bool {
        rawValue != 0 && rawValue & Self.wordClasses.rawValue == 0
    }

    static let wordClasses: CodepointFlags = [.whitespace, .letter, .number]

    /// Whether any of `flags` is set; plain bit arithmetic, which the optimizer keeps in line.
    @inline(__always)
    func has(_ flags: CodepointFlags) -> Bool { rawValue & flags.rawValue != 0 }

    /// The flags of a code point; positions outside the text have none (empty flags).
    @inline(__always)
    static func of(_ codepoint: UInt32) -> CodepointFlags {
        if codepoint < 0x10000 { return CodepointFlags(rawValue: basicPlane[Int(codepoint)]) }
        return compute(codepoint)
    }

    /// The Basic Multilingual Plane is looked up often enough (every letter of most scripts) to be
    /// worth a table; other planes are computed each time.
    private static let basicPlane: [UInt16] = (0..<0x10000).map { compute(UInt32($0)).rawValue }

    private static func compute(_ codepoint: UInt32) -> CodepointFlags {
        // Surrogates cannot occur in a Swift string; their category is Cs, "other".
        guard let scalar = Unicode.Scalar(codepoint) else { return .control }
        let properties = scalar.properties
        var flags: CodepointFlags
        if let age = properties.age, (age.major, age.minor) <= unicodeVersion {
            flags = category(properties.generalCategory)
        } else {
            flags = .undefined
        }
        if properties.isWhitespace { flags.insert(.whitespace) }
        return flags
    }

    private static func category(_ category: Unicode.GeneralCategory) -> CodepointFlags {
        switch category {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return .mark
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return .punctuation
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return .symbol
        case .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return .separator
        case .control, .format, .surrogate, .privateUse:
            return .control
        case .unassigned:
            return .undefined
        @unknown default:
            return .undefined
        }
    }
}
