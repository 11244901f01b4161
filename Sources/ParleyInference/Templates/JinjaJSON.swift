/// The `tojson` filter as transformers defines it: Python's
/// `json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)`, without
/// Jinja's own HTML escaping.
enum JinjaJSON {
    struct Options {
        var ensureASCII = false
        /// nil: everything on one line.
        var indent: String?
        var itemSeparator = ", "
        var keySeparator = ": "
        var sortKeys = false
    }

    static func encode(_ value: JinjaValue, _ arguments: JinjaArgumentReader) throws -> String {
        var options = Options()
        options.ensureASCII = arguments.bool(0, "ensure_ascii", default: false)
        switch arguments.value(1, "indent") {
        case nil, .none?: break
        case .string(let text)?: options.indent = text
        case let width?:
            guard let count = width.intValue else { throw TemplateError.type("indent must be an int or a string") }
            options.indent = String(repeating: " ", count: max(0, count))
        }
        if options.indent != nil { options.itemSeparator = "," }
        switch arguments.value(2, "separators") {
        case nil, .none?: break
        case let separators?:
            guard let pair = separators.sequenceValue, pair.count == 2,
                case .string(let item) = pair[0], case .string(let key) = pair[1]
            else { throw TemplateError.type("separators must be a pair of strings") }
            options.itemSeparator = item
            options.keySeparator = key
        }
        options.sortKeys = arguments.bool(3, "sort_keys", default: false)
        var out = ""
        try write(value, options, level: 0, into: &out)
        return out
    }

    private static func write(_ value: JinjaValue, _ options: Options, level: Int, into out: inout String) throws {
        switch value {
        case .none: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .double(let number): out += floatText(number)
        case .string(let text): writeString(text, ascii: options.ensureASCII, into: &out)
        case .list(let items), .tuple(let items):
            guard !items.isEmpty else {
                out += "[]"
                return
            }
            out += "["
            for (index, item) in items.enumerated() {
                out += index == 0 ? newline(options, level + 1) : options.itemSeparator + newline(options, level + 1)
                try write(item, options, level: level + 1, into: &out)
            }
            out += newline(options, level) + "]"
        case .dict(let dict):
            guard dict.count > 0 else {
                out += "{}"
                return
            }
            var pairs = try dict.pairs.map { (key: try keyText($0.key), value: $0.value) }
            if options.sortKeys {
                pairs.sort { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
            }
            out += "{"
            for (index, pair) in pairs.enumerated() {
                out += index == 0 ? newline(options, level + 1) : options.itemSeparator + newline(options, level + 1)
                writeString(pair.key, ascii: options.ensureASCII, into: &out)
                out += options.keySeparator
                try write(pair.value, options, level: level + 1, into: &out)
            }
            out += newline(options, level) + "}"
        case .undefined, .namespace, .loop, .callable, .iterator:
            throw TemplateError.type("Object of type \(value.typeName) is not JSON serializable")
        }
    }

    private static func newline(_ options: Options, _ level: Int) -> String {
        guard let indent = options.indent else { return "" }
        return "\n" + String(repeating: indent, count: level)
    }

    private static func floatText(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        return PythonFormat.floatRepr(number)
    }

    /// Python converts non-string keys: `1` to `"1"`, `True` to `"true"`, `None` to `"null"`.
    private static func keyText(_ key: JinjaValue) throws -> String {
        switch key {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return floatText(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .none: return "null"
        default: throw TemplateError.type("keys must be str, int, float, bool or None, not \(key.typeName)")
        }
    }

    private static func writeString(_ text: String, ascii: Bool, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    out += unicodeEscape(scalar.value)
                } else if ascii && !scalar.isASCII {
                    if scalar.value >= 0x10000 {
                        let offset = scalar.value - 0x10000
                        out += unicodeEscape(0xD800 + (offset >> 10)) + unicodeEscape(0xDC00 + (offset & 0x3FF))
                    } else {
                        out += unicodeEscape(scalar.value)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
