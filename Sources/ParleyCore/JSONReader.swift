/// Why a text is not JSON, and where: the byte offset, and the line and column for people.
public struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public let offset: Int
    public let line: Int
    public let column: Int

    public var description: String { "\(reason) at line \(line), column \(column)" }
}

/// A strict RFC 8259 reader straight from bytes into ``JSONValue``: the gateway reads every request
/// body and every upstream reply with it, so it avoids Codable's per-value dynamic casts and the errors
/// thrown while `JSONValue`'s `Decodable` conformance guesses each value's type.
struct JSONReader {
    /// Deeper documents are refused rather than risking the stack (Foundation's decoder stops at 512 too).
    static let maximumDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    /// When set, members of other names are checked and skipped rather than read.
    private let keeping: JSONMemberNames?

    init(_ bytes: UnsafeBufferPointer<UInt8>, keeping: JSONMemberNames? = nil) {
        self.bytes = bytes
        self.keeping = keeping
    }

    /// The one value the text holds, with nothing but whitespace around it.
    mutating func document() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw error(bytes.isEmpty ? "empty text" : "no value") }
        let value = try self.value()
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected \(describe(bytes[index])) after the value") }
        return value
    }

    private mutating func value() throws(JSONSyntaxError) -> JSONValue {
        switch bytes[index] {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("unexpected \(describe(bytes[index]))")
        }
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        index += 1
        // Room for a typical object's members up front: growing one slot at a time rehashes every member.
        var members: [String: JSONValue] = Dictionary(minimumCapacity: 8)
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw expected("a member name") }
            let keyStart = index
            let key = try string()
            let written = UnsafeBufferPointer(rebasing: bytes[(keyStart + 1)..<(index - 1)])
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw expected("':'") }
            index += 1
            skipWhitespace()
            guard index < bytes.count else { throw expected("a value") }
            if let keeping, !keeping.contains(written) {
                try skipValue()
            } else {
                members[key] = try value()
            }
            skipWhitespace()
            guard index < bytes.count else { throw expected("',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return .object(members)
            } else {
                throw expected("',' or '}'")
            }
        }
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw expected("a value") }
            elements.append(try value())
            skipWhitespace()
            guard index < bytes.count else { throw expected("',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .array(elements)
            } else {
                throw expected("',' or ']'")
            }
        }
    }

    /// Moves past a value that is not kept. Strings are only checked for their end and for control
    /// characters (not their escapes or UTF-8); objects and arrays are read in full, then dropped.
    private mutating func skipValue() throws(JSONSyntaxError) {
        guard bytes[index] == UInt8(ascii: "\"") else {
            _ = try value()
            return
        }
        index = try stringEnd().closingQuote + 1
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("nested deeper than \(Self.maximumDepth) levels") }
    }

    /// A string, from its opening quote. Text without escapes is taken as it is (after checking its
    /// UTF-8); escapes are decoded into a scratch buffer only when there are some.
    private mutating func string() throws(JSONSyntaxError) -> String {
        let start = index
        let (closingQuote, escaped) = try stringEnd()
        guard escaped else {
            index = closingQuote + 1
            return try text(UnsafeBufferPointer(rebasing: bytes[(start + 1)..<closingQuote]), from: start)
        }
        index = start + 1
        var runStart = index
        var decoded: [UInt8] = []
        while index < closingQuote {
            if bytes[index] == UInt8(ascii: "\\") {
                decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                try escape(into: &decoded)
                runStart = index
            } else {
                index += 1
            }
        }
        decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<closingQuote]))
        index = closingQuote + 1
        return try decoded.withUnsafeBufferPointer { (utf8) throws(JSONSyntaxError) in try text(utf8, from: start) }
    }

    /// Where the string that starts at `index` (its opening quote) ends, and whether it has escapes
    /// (checked for control characters, not for what follows each backslash).
    private func stringEnd() throws(JSONSyntaxError) -> (closingQuote: Int, escaped: Bool) {
        var position = index + 1
        var escaped = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                return (position, escaped)
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                position += 2
            } else if byte < 0x20 {
                throw error("unescaped control character in a string", at: position)
            } else {
                position += 1
            }
        }
        throw error("unterminated string")
    }

    private func text(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int) throws(JSONSyntaxError) -> String {
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw error("invalid UTF-8 in the string", at: start)
        }
        return text
    }

    /// One escape sequence, from its backslash, appended as UTF-8. A lone surrogate (which some
    /// encoders emit for broken text) becomes U+FFFD rather than refusing the whole body.
    private mutating func escape(into output: inout [UInt8]) throws(JSONSyntaxError) {
        index += 1
        guard index < bytes.count else { throw error("unterminated string") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hexQuad()
            if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                bytes[index + 1] == UInt8(ascii: "u")
            {
                let mark = index
                index += 2
                let low = try hexQuad()
                if (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    index = mark
                }
            }
            let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            output.append(contentsOf: UTF8.encode(character)!)
        default:
            index -= 2
            throw error("invalid escape sequence in a string")
        }
    }

    private mutating func hexQuad() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("incomplete \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// A number in JSON's grammar. Plain integers of up to 15 digits are computed directly (exactly
    /// representable); anything else goes through the standard library's correctly rounded parser.
    private mutating func number() throws(JSONSyntaxError) -> Double {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let integerStart = index
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("a number needs digits", at: start) }
        if bytes[index] == UInt8(ascii: "0"), index + 1 < bytes.count, isDigit(bytes[index + 1]) {
            throw error("a number cannot start with 0", at: start)
        }
        var integer: Int64 = 0
        while index < bytes.count, isDigit(bytes[index]) {
            if index - integerStart < 15 { integer = integer * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
            index += 1
        }
        var plain = index - integerStart <= 15
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            plain = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("a digit must follow '.'", at: start) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            plain = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw error("an exponent needs digits", at: start)
            }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if plain { return negative ? -Double(integer) : Double(integer) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw error("number out of range", at: start) }
        return value
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let matches = word.withUTF8Buffer { expected in
            index + expected.count <= bytes.count && expected.indices.allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else { throw error("unexpected \(describe(bytes[index]))") }
        index += word.utf8CodeUnitCount
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "character '\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    private func expected(_ what: String) -> JSONSyntaxError {
        index < bytes.count ? error("expected \(what), found \(describe(bytes[index]))") : error("expected \(what), found the end")
    }

    private func error(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
        let offset = min(offset ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        for position in 0..<offset where bytes[position] == 0x0A {
            line += 1
            lineStart = position + 1
        }
        return JSONSyntaxError(reason: reason, offset: offset, line: line, column: offset - lineStart + 1)
    }
}

/// The member names worth reading in a document of which only a few members matter (an upstream's
/// reply, where ids, fingerprints and log probabilities are passed over). Names are matched as they
/// are written: a name written with escapes is never matched.
public struct JSONMemberNames: Sendable {
    private let names: [[UInt8]]

    public init(_ names: [String]) {
        self.names = names.map { Array($0.utf8) }
    }

    func contains(_ written: UnsafeBufferPointer<UInt8>) -> Bool {
        names.contains { name in name.count == written.count && name.withUnsafeBufferPointer { $0.elementsEqual(written) } }
    }
}
