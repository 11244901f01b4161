/// Decodes the text between the quotes of a Jinja string literal.
///
/// Jinja does `text.encode("ascii", "backslashreplace").decode("unicode-escape")`: non-ASCII
/// characters are first written as `\xNN`/`\uNNNN` escapes, then all escapes are decoded. Doing the
/// same two steps reproduces its quirks too (a backslash right before `é` reads as a literal `\xe9`).
enum JinjaStringLiteral {
    struct DecodeError: Error {
        let reason: String
    }

    static func decode(_ raw: [Unicode.Scalar]) throws -> String {
        var ascii: [UInt8] = []
        ascii.reserveCapacity(raw.count)
        for scalar in raw {
            if scalar.isASCII {
                ascii.append(UInt8(scalar.value))
            } else if scalar.value < 0x100 {
                ascii.append(contentsOf: Array("\\x\(hex(scalar.value, width: 2))".utf8))
            } else if scalar.value < 0x10000 {
                ascii.append(contentsOf: Array("\\u\(hex(scalar.value, width: 4))".utf8))
            } else {
                ascii.append(contentsOf: Array("\\U\(hex(scalar.value, width: 8))".utf8))
            }
        }
        return try unicodeEscapeDecode(ascii)
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Python's `unicode-escape` codec over ASCII bytes.
    private static func unicodeEscapeDecode(_ bytes: [UInt8]) throws -> String {
        var out = String.UnicodeScalarView()
        var index = 0
        func append(_ value: UInt32) {
            // Python keeps lone surrogates; Swift strings cannot hold them.
            out.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                out.append(Unicode.Scalar(byte))
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { throw DecodeError(reason: "\\ at end of string") }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\n"): break
            case UInt8(ascii: "\\"): out.append("\\")
            case UInt8(ascii: "'"): out.append("'")
            case UInt8(ascii: "\""): out.append("\"")
            case UInt8(ascii: "a"): out.append("\u{07}")
            case UInt8(ascii: "b"): out.append("\u{08}")
            case UInt8(ascii: "f"): out.append("\u{0C}")
            case UInt8(ascii: "n"): out.append("\n")
            case UInt8(ascii: "r"): out.append("\r")
            case UInt8(ascii: "t"): out.append("\t")
            case UInt8(ascii: "v"): out.append("\u{0B}")
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = UInt32(escape - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[index]) {
                    value = value * 8 + UInt32(bytes[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                append(value)
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let width = escape == UInt8(ascii: "x") ? 2 : escape == UInt8(ascii: "u") ? 4 : 8
                guard index + width <= bytes.count,
                    let value = UInt32(String(decoding: bytes[index..<index + width], as: UTF8.self), radix: 16)
                else {
                    let name =
                        escape == UInt8(ascii: "x") ? "\\xXX" : escape == UInt8(ascii: "u") ? "\\uXXXX" : "\\UXXXXXXXX"
                    throw DecodeError(reason: "truncated \(name) escape")
                }
                guard value <= 0x10FFFF else { throw DecodeError(reason: "illegal Unicode character") }
                append(value)
                index += width
            case UInt8(ascii: "N"):
                throw DecodeError(reason: "\\N{...} escapes are not supported")
            default:
                out.append("\\")
                out.append(Unicode.Scalar(escape))
            }
        }
        return String(out)
    }
}
