import Foundation

/// Jinja's built-in filters (`| trim`, `| tojson`, ...), with transformers' `tojson`.
enum JinjaFilters {
    typealias Filter = @Sendable (JinjaValue, JinjaArgumentReader, JinjaInterpreter) throws -> JinjaValue

    static func apply(
        _ name: String,
        to value: JinjaValue,
        _ positional: [JinjaValue],
        _ keyword: [(String, JinjaValue)],
        interpreter: JinjaInterpreter
    ) throws -> JinjaValue {
        guard let filter = table[name] ?? JinjaSequenceFilters.table[name] else {
            throw TemplateError.unsupported("no filter named '\(name)'")
        }
        return try filter(value, JinjaArgumentReader(name, positional, keyword), interpreter)
    }

    static func exists(_ name: String) -> Bool {
        table[name] != nil || JinjaSequenceFilters.table[name] != nil
    }

    /// The items of a value as Python's `iter()` gives them; an undefined value has none.
    static func iterateForFilter(_ value: JinjaValue) throws -> [JinjaValue] {
        switch value {
        case .undefined: return []
        case .list(let values), .tuple(let values): return values
        case .dict(let dict): return dict.keys
        case .string(let text): return text.unicodeScalars.map { .string(String($0)) }
        case .iterator(let iterator): return iterator.drain()
        default: throw TemplateError.type("'\(value.typeName)' object is not iterable")
        }
    }

    static func length(of value: JinjaValue) throws -> Int {
        switch value {
        case .undefined: return 0
        case .string(let text): return text.unicodeScalars.count
        case .list(let values), .tuple(let values): return values.count
        case .dict(let dict): return dict.count
        case .loop(let loop): return loop.items.count
        default: throw TemplateError.type("object of type '\(value.typeName)' has no len()")
        }
    }

    private static let table: [String: Filter] = [
        "trim": { value, arguments, _ in .string(PythonString.strip(value.pyStr, try arguments.string(0, "chars"))) },
        "upper": { value, _, _ in .string(PythonString.upper(value.pyStr)) },
        "lower": { value, _, _ in .string(PythonString.lower(value.pyStr)) },
        "capitalize": { value, _, _ in .string(PythonString.capitalize(value.pyStr)) },
        "title": { value, _, _ in .string(jinjaTitle(value.pyStr)) },
        "string": { value, _, _ in .string(value.pyStr) },
        "safe": { value, _, _ in value },
        "length": { value, _, _ in .int(try length(of: value)) },
        "count": { value, _, _ in .int(try length(of: value)) },
        "default": defaultFilter,
        "d": defaultFilter,
        "replace": { value, arguments, _ in
            let old = try arguments.required(0, "old").pyStr
            let new = try arguments.required(1, "new").pyStr
            let count = try arguments.int(2, "count") ?? 0
            return .string(PythonString.replace(value.pyStr, old, new, count: count == 0 ? -1 : count))
        },
        "tojson": { value, arguments, _ in .string(try JinjaJSON.encode(value, arguments)) },
        "escape": escapeFilter,
        "e": escapeFilter,
        "indent": indentFilter,
        "center": { value, arguments, _ in
            let text = Array(value.pyStr.unicodeScalars)
            let width = try arguments.int(0, "width") ?? 80
            guard width > text.count else { return .string(value.pyStr) }
            let padding = width - text.count
            let left = padding / 2 + (padding & width & 1)
            return .string(
                String(repeating: " ", count: left) + value.pyStr
                    + String(repeating: " ", count: padding - left))
        },
        "wordcount": { value, _, _ in
            let words = value.pyStr.unicodeScalars.split {
                !($0.properties.isAlphabetic
                    || $0.properties.numericType != nil || $0 == "_")
            }
            return .int(words.count)
        },
        "int": intFilter,
        "float": { value, arguments, _ in
            let fallback = arguments.value(0, "default") ?? .double(0)
            switch value {
            case .undefined(let hint): throw TemplateError.undefined(hint)
            case .double: return value
            case .int, .bool: return .double(value.numberValue!)
            case .string(let text):
                let trimmed = PythonString.strip(text, nil).replacingOccurrences(of: "_", with: "")
                return Double(trimmed).map(JinjaValue.double) ?? fallback
            default: return fallback
            }
        },
        "abs": { value, _, _ in
            switch value {
            case .double(let number): return .double(abs(number))
            default:
                guard let number = value.intValue else {
                    throw TemplateError.type("bad operand type for abs(): '\(value.typeName)'")
                }
                return .int(abs(number))
            }
        },
        "round": { value, arguments, _ in
            guard let number = value.numberValue else {
                throw TemplateError.type("type \(value.typeName) doesn't define __round__ method")
            }
            let precision = try arguments.int(0, "precision") ?? 0
            let method = try arguments.string(1, "method") ?? "common"
            let scale = pow10(precision)
            switch method {
            case "common": return .double((number * scale).rounded(.toNearestOrEven) / scale)
            case "ceil": return .double((number * scale).rounded(.up) / scale)
            case "floor": return .double((number * scale).rounded(.down) / scale)
            default: throw TemplateError.runtime("method must be common, ceil or floor")
            }
        },
        "items": { value, _, _ in
            switch value {
            case .undefined: return .iterator(JinjaIterator([]))
            case .dict(let dict): return .iterator(JinjaIterator(dict.pairs.map { .tuple([$0.key, $0.value]) }))
            default: throw TemplateError.type("Can only get item pairs from a mapping.")
            }
        },
        "dictsort": { value, arguments, _ in
            if case .undefined(let hint) = value { throw TemplateError.undefined(hint) }
            guard case .dict(let dict) = value else {
                throw TemplateError.runtime("'\(value.typeName)' object has no attribute 'items'")
            }
            let caseSensitive = arguments.bool(0, "case_sensitive", default: false)
            let byValue = try arguments.string(1, "by") == "value"
            let reverse = arguments.bool(2, "reverse", default: false)
            let pairs = try JinjaSequenceFilters.sorted(
                dict.pairs.map { JinjaValue.tuple([$0.key, $0.value]) },
                reverse: reverse
            ) { pair in
                let element = pair.sequenceValue![byValue ? 1 : 0]
                return caseSensitive ? element : JinjaSequenceFilters.ignoringCase(element)
            }
            return .list(pairs)
        },
        "attr": { value, arguments, _ in
            try JinjaAttributes.attribute(of: value, try arguments.required(0, "name").pyStr)
        },
    ]

    private static let defaultFilter: Filter = { value, arguments, _ in
        let fallback = arguments.value(0, "default_value") ?? .string("")
        let boolean = arguments.bool(1, "boolean", default: false)
        if value.isUndefined || (boolean && !value.isTruthy) { return fallback }
        return value
    }

    private static let escapeFilter: Filter = { value, _, _ in
        var out = ""
        for character in value.pyStr.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return .string(out)
    }

    private static let indentFilter: Filter = { value, arguments, _ in
        if case .undefined(let hint) = value { throw TemplateError.undefined(hint) }
        let indentation: String
        switch arguments.value(0, "width") {
        case .string(let text)?: indentation = text
        case let width?: indentation = String(repeating: " ", count: max(0, width.intValue ?? 4))
        case nil: indentation = "    "
        }
        let first = arguments.bool(1, "first", default: false)
        let blank = arguments.bool(2, "blank", default: false)
        var lines = PythonString.splitLines(value.pyStr + "\n")
        var result: String
        if blank {
            result = lines.joined(separator: "\n" + indentation)
        } else {
            result = lines.isEmpty ? "" : lines.removeFirst()
            if !lines.isEmpty {
                result += "\n" + lines.map { $0.isEmpty ? $0 : indentation + $0 }.joined(separator: "\n")
            }
        }
        return .string(first ? indentation + result : result)
    }

    private static let intFilter: Filter = { value, arguments, _ in
        let fallback = arguments.value(0, "default") ?? .int(0)
        let base = try arguments.int(1, "base") ?? 10
        switch value {
        case .undefined(let hint): throw TemplateError.undefined(hint)
        case .int: return value
        case .bool(let flag): return .int(flag ? 1 : 0)
        case .double(let number):
            guard number.isFinite, abs(number) < 9.2e18 else { return fallback }
            return .int(Int(number))
        case .string(let text):
            let trimmed = PythonString.strip(text, nil).replacingOccurrences(of: "_", with: "")
            if let number = Int(trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed, radix: base) {
                return .int(number)
            }
            if let number = Double(trimmed), number.isFinite, abs(number) < 9.2e18 { return .int(Int(number)) }
            return fallback
        default:
            return fallback
        }
    }

    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }

    /// Jinja's `title` filter (not `str.title`): capitalises each word after `-`, whitespace or
    /// an opening bracket.
    private static func jinjaTitle(_ text: String) -> String {
        var out = ""
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            out +=
                PythonString.upper(String(word.unicodeScalars.first!))
                + PythonString.lower(PythonString.make(word.unicodeScalars.dropFirst()))
            word = ""
        }
        for scalar in text.unicodeScalars {
            if scalar.isPythonWhitespace || "-({[<".unicodeScalars.contains(scalar) {
                flush()
                out.unicodeScalars.append(scalar)
            } else {
                word.unicodeScalars.append(scalar)
            }
        }
        flush()
        return out
    }
}
