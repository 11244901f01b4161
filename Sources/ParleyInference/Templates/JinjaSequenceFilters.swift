/// Jinja's filters over sequences: `first`, `join`, `map`, `selectattr`, `sort`, ...
enum JinjaSequenceFilters {
    typealias Filter = JinjaFilters.Filter

    static let table: [String: Filter] = [
        "first": { value, _, _ in
            let first =
                if case .iterator(let iterator) = value {
                    iterator.next()
                } else {
                    try JinjaFilters.iterateForFilter(value).first
                }
            return first ?? .undefined(hint: "No first item, sequence was empty.")
        },
        "last": { value, _, _ in
            switch value {
            case .undefined, .iterator: throw TemplateError.type("'\(value.typeName)' object is not reversible")
            default: break
            }
            return try JinjaFilters.iterateForFilter(value).last
                ?? .undefined(hint: "No last item, sequence was empty.")
        },
        "list": { value, _, _ in .list(try JinjaFilters.iterateForFilter(value)) },
        "join": { value, arguments, _ in
            let separator = arguments.value(0, "d")?.pyStr ?? ""
            var items = try JinjaFilters.iterateForFilter(value)
            if let attribute = arguments.value(1, "attribute") {
                items = try items.map(attributeGetter(attribute))
            }
            return .string(items.map(\.pyStr).joined(separator: separator))
        },
        "reverse": { value, _, _ in
            switch value {
            case .string(let text): return .string(PythonString.make(text.unicodeScalars.reversed()))
            case .list(let items): return .iterator(JinjaIterator(items.reversed(), typeName: "list_reverseiterator"))
            case .tuple(let items): return .iterator(JinjaIterator(items.reversed(), typeName: "reversed"))
            case .dict(let dict):
                return .iterator(JinjaIterator(dict.keys.reversed(), typeName: "dict_reversekeyiterator"))
            case .undefined: return .iterator(JinjaIterator([], typeName: "reversed"))
            default: return .list(try JinjaFilters.iterateForFilter(value).reversed())
            }
        },
        "sort": { value, arguments, _ in
            let reverse = arguments.bool(0, "reverse", default: false)
            let caseSensitive = arguments.bool(1, "case_sensitive", default: false)
            let key = try keyFunction(arguments.value(2, "attribute"), caseSensitive: caseSensitive)
            return .list(try sorted(try JinjaFilters.iterateForFilter(value), reverse: reverse, key: key))
        },
        "unique": { value, arguments, _ in
            let caseSensitive = arguments.bool(0, "case_sensitive", default: false)
            let key = try keyFunction(arguments.value(1, "attribute"), caseSensitive: caseSensitive)
            var seen: [JinjaValue] = []
            var result: [JinjaValue] = []
            for item in try JinjaFilters.iterateForFilter(value) {
                let itemKey = try key(item)
                if !seen.contains(where: { $0.pyEquals(itemKey) }) {
                    seen.append(itemKey)
                    result.append(item)
                }
            }
            return .iterator(JinjaIterator(result))
        },
        "min": { value, arguments, _ in try extreme(value, arguments, largest: false) },
        "max": { value, arguments, _ in try extreme(value, arguments, largest: true) },
        "sum": { value, arguments, _ in
            var items = try JinjaFilters.iterateForFilter(value)
            if let attribute = arguments.value(0, "attribute") { items = try items.map(attributeGetter(attribute)) }
            var total = arguments.value(1, "start") ?? .int(0)
            for item in items { total = try JinjaOperators.binary("+", total, item) }
            return total
        },
        "map": { value, arguments, interpreter in
            let items = try JinjaFilters.iterateForFilter(value)
            if arguments.positional.isEmpty, let attribute = arguments.value(0, "attribute") {
                let fallback = arguments.keyword.first { $0.0 == "default" }?.1
                return .iterator(
                    JinjaIterator(
                        try items.map { item in
                            let found = try attributeGetter(attribute)(item)
                            if found.isUndefined, let fallback { return fallback }
                            return found
                        }))
            }
            guard let name = arguments.positional.first?.stringValue else {
                throw TemplateError.type("map requires a filter name or attribute=")
            }
            let rest = Array(arguments.positional.dropFirst())
            return .iterator(
                JinjaIterator(
                    try items.map {
                        try JinjaFilters.apply(name, to: $0, rest, arguments.keyword, interpreter: interpreter)
                    }))
        },
        "select": { value, arguments, interpreter in
            try select(value, arguments, interpreter, byAttribute: false, keep: true)
        },
        "reject": { value, arguments, interpreter in
            try select(value, arguments, interpreter, byAttribute: false, keep: false)
        },
        "selectattr": { value, arguments, interpreter in
            try select(value, arguments, interpreter, byAttribute: true, keep: true)
        },
        "rejectattr": { value, arguments, interpreter in
            try select(value, arguments, interpreter, byAttribute: true, keep: false)
        },
    ]

    /// Jinja's attribute getter: `"a.b.0"` walks items (then attributes) one dotted part at a time.
    static func attributeGetter(_ attribute: JinjaValue) -> (JinjaValue) throws -> JinjaValue {
        let parts: [JinjaValue]
        if case .string(let path) = attribute {
            parts = path.split(separator: ".", omittingEmptySubsequences: false).map { part in
                Int(part).map(JinjaValue.int) ?? .string(String(part))
            }
        } else {
            parts = [attribute]
        }
        return { item in
            var current = item
            for part in parts { current = try JinjaAttributes.item(of: current, part) }
            return current
        }
    }

    static func ignoringCase(_ value: JinjaValue) -> JinjaValue {
        if case .string(let text) = value { return .string(PythonString.lower(text)) }
        return value
    }

    private static func keyFunction(_ attribute: JinjaValue?, caseSensitive: Bool)
        throws -> (JinjaValue) throws -> JinjaValue
    {
        let getter = attribute.map(attributeGetter) ?? { $0 }
        return { item in
            let key = try getter(item)
            return caseSensitive ? key : ignoringCase(key)
        }
    }

    /// A stable sort with Python's ordering; mixed types fail as they do in Python.
    static func sorted(_ items: [JinjaValue], reverse: Bool, key: (JinjaValue) throws -> JinjaValue) throws
        -> [JinjaValue]
    {
        let keyed = try items.map { (key: try key($0), item: $0) }
        var failure: TemplateError?
        let result = keyed.enumerated().sorted { left, right in
            guard let less = left.element.key.pyLess(right.element.key),
                let greater = right.element.key.pyLess(left.element.key)
            else {
                failure = .type(
                    "'<' not supported between instances of '\(left.element.key.typeName)' and "
                        + "'\(right.element.key.typeName)'")
                return false
            }
            if less != greater { return reverse ? greater : less }
            return left.offset < right.offset
        }
        if let failure { throw failure }
        return result.map(\.element.item)
    }

    private static func extreme(_ value: JinjaValue, _ arguments: JinjaArgumentReader, largest: Bool) throws
        -> JinjaValue
    {
        let items = try JinjaFilters.iterateForFilter(value)
        guard var best = items.first else { return .undefined(hint: "No aggregated item, sequence was empty.") }
        let key = try keyFunction(
            arguments.value(1, "attribute"),
            caseSensitive: arguments.bool(0, "case_sensitive", default: false))
        var bestKey = try key(best)
        for item in items.dropFirst() {
            let itemKey = try key(item)
            let ordered = largest ? bestKey.pyLess(itemKey) : itemKey.pyLess(bestKey)
            guard let better = ordered else {
                throw TemplateError.type(
                    "'<' not supported between instances of '\(itemKey.typeName)' and "
                        + "'\(bestKey.typeName)'")
            }
            if better {
                best = item
                bestKey = itemKey
            }
        }
        return best
    }

    private static func select(
        _ value: JinjaValue,
        _ arguments: JinjaArgumentReader,
        _ interpreter: JinjaInterpreter,
        byAttribute: Bool,
        keep: Bool
    ) throws -> JinjaValue {
        var positional = arguments.positional
        var getter: (JinjaValue) throws -> JinjaValue = { $0 }
        if byAttribute {
            guard !positional.isEmpty else { throw TemplateError.type("missing attribute name") }
            getter = attributeGetter(positional.removeFirst())
        }
        let testName = positional.isEmpty ? nil : positional.removeFirst().pyStr
        let result = try JinjaFilters.iterateForFilter(value).filter { item in
            let subject = try getter(item)
            let passed =
                try testName.map {
                    try JinjaPredicates.test($0, subject, positional, arguments.keyword, interpreter: interpreter)
                } ?? subject.isTruthy
            return passed == keep
        }
        return .iterator(JinjaIterator(result))
    }
}
