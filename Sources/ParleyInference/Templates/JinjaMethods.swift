/// The Python methods templates call on strings, dicts and lists (`content.strip()`,
/// `message.items()`). Methods that would modify a value are refused, as Jinja's immutable sandbox
/// refuses them.
enum JinjaMethods {
    private static let unsafeListMethods: Set<String> = [
        "append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort",
    ]
    private static let unsafeDictMethods: Set<String> = ["clear", "pop", "popitem", "setdefault", "update"]

    static func method(of value: JinjaValue, named name: String) -> JinjaCallable? {
        switch value {
        case .string(let text):
            return stringMethod(text, name)
        case .dict(let dict):
            if unsafeDictMethods.contains(name) { return unsafe(name, "dict") }
            return dictMethod(dict, name)
        case .list(let values), .tuple(let values):
            if case .list = value, unsafeListMethods.contains(name) { return unsafe(name, "list") }
            return sequenceMethod(values, name)
        default:
            return nil
        }
    }

    private static func unsafe(_ name: String, _ type: String) -> JinjaCallable {
        JinjaCallable(name: name) { _, _ in
            throw TemplateError.runtime("access to attribute '\(name)' of '\(type)' object is unsafe.")
        }
    }

    private static func bound(_ name: String, _ body: @escaping (JinjaArgumentReader) throws -> JinjaValue)
        -> JinjaCallable
    {
        JinjaCallable(name: name) { positional, keyword in
            try body(JinjaArgumentReader(name, positional, keyword))
        }
    }

    private static func dictMethod(_ dict: JinjaDict, _ name: String) -> JinjaCallable? {
        switch name {
        case "items": return bound(name) { _ in .list(dict.pairs.map { .tuple([$0.key, $0.value]) }) }
        case "keys": return bound(name) { _ in .list(dict.keys) }
        case "values": return bound(name) { _ in .list(dict.values) }
        case "copy": return bound(name) { _ in .dict(dict) }
        case "get":
            return bound(name) { arguments in
                dict[try arguments.required(0, "key")] ?? arguments.value(1, "default") ?? .none
            }
        default: return nil
        }
    }

    private static func sequenceMethod(_ values: [JinjaValue], _ name: String) -> JinjaCallable? {
        switch name {
        case "count":
            return bound(name) { arguments in
                let item = try arguments.required(0, "value")
                return .int(values.filter { $0.pyEquals(item) }.count)
            }
        case "index":
            return bound(name) { arguments in
                let item = try arguments.required(0, "value")
                guard let index = values.firstIndex(where: { $0.pyEquals(item) }) else {
                    throw TemplateError.runtime("\(item.pyRepr) is not in list")
                }
                return .int(index)
            }
        case "copy": return bound(name) { _ in .list(values) }
        default: return nil
        }
    }

    private static func stringMethod(_ text: String, _ name: String) -> JinjaCallable? {
        switch name {
        case "strip", "lstrip", "rstrip":
            return bound(name) { arguments in
                .string(
                    PythonString.strip(
                        text, try arguments.string(0, "chars"),
                        leading: name != "rstrip", trailing: name != "lstrip"))
            }
        case "split", "rsplit":
            return bound(name) { arguments in
                let separator = try arguments.string(0, "sep")
                let limit = try arguments.int(1, "maxsplit") ?? -1
                let parts =
                    name == "split"
                    ? try PythonString.split(text, separator, maxSplit: limit)
                    : try PythonString.rsplit(text, separator, maxSplit: limit)
                return .list(parts.map(JinjaValue.string))
            }
        case "splitlines":
            return bound(name) { arguments in
                let keepEnds = arguments.bool(0, "keepends", default: false)
                return .list(PythonString.splitLines(text, keepEnds: keepEnds).map(JinjaValue.string))
            }
        case "startswith", "endswith":
            return bound(name) { arguments in
                let affixes: [JinjaValue]
                switch try arguments.required(0, name == "startswith" ? "prefix" : "suffix") {
                case .tuple(let values): affixes = values
                case let single: affixes = [single]
                }
                return .bool(
                    try affixes.contains { affix in
                        guard case .string(let affix) = affix else {
                            throw TemplateError.type("\(name) first arg must be str or a tuple of str")
                        }
                        return name == "startswith"
                            ? PythonString.hasPrefix(text, affix) : PythonString.hasSuffix(text, affix)
                    })
            }
        case "upper": return bound(name) { _ in .string(PythonString.upper(text)) }
        case "lower": return bound(name) { _ in .string(PythonString.lower(text)) }
        case "title": return bound(name) { _ in .string(PythonString.title(text)) }
        case "capitalize": return bound(name) { _ in .string(PythonString.capitalize(text)) }
        case "replace":
            return bound(name) { arguments in
                guard case .string(let old) = try arguments.required(0, "old"),
                    case .string(let new) = try arguments.required(1, "new")
                else { throw TemplateError.type("replace() arguments must be str") }
                return .string(PythonString.replace(text, old, new, count: try arguments.int(2, "count") ?? -1))
            }
        case "find", "rfind", "index", "rindex", "count":
            return bound(name) { arguments in
                guard case .string(let needle) = try arguments.required(0, "sub") else {
                    throw TemplateError.type("must be str")
                }
                if name == "count" { return .int(PythonString.count(text, needle)) }
                let hay = Array(text.unicodeScalars)
                let sub = Array(needle.unicodeScalars)
                let found = name.hasPrefix("r") ? PythonString.rfind(hay, sub) : PythonString.find(hay, sub)
                if found == nil, name.hasSuffix("index") { throw TemplateError.runtime("substring not found") }
                return .int(found ?? -1)
            }
        case "join":
            return bound(name) { arguments in
                let items = try JinjaFilters.iterateForFilter(try arguments.required(0, "iterable"))
                return .string(
                    try items.map { item -> String in
                        guard case .string(let piece) = item else {
                            throw TemplateError.type("sequence item: expected str instance, \(item.typeName) found")
                        }
                        return piece
                    }.joined(separator: text))
            }
        case "removeprefix", "removesuffix":
            return bound(name) { arguments in
                guard let affix = try arguments.string(0, name == "removeprefix" ? "prefix" : "suffix") else {
                    return .string(text)
                }
                let scalars = Array(text.unicodeScalars)
                let count = affix.unicodeScalars.count
                if name == "removeprefix", PythonString.hasPrefix(text, affix) {
                    return .string(PythonString.make(scalars.dropFirst(count)))
                }
                if name == "removesuffix", PythonString.hasSuffix(text, affix), count > 0 {
                    return .string(PythonString.make(scalars.dropLast(count)))
                }
                return .string(text)
            }
        case "isdigit", "isnumeric", "isdecimal":
            return bound(name) { _ in
                .bool(!text.isEmpty && text.unicodeScalars.allSatisfy { $0.properties.numericType != nil })
            }
        case "isalpha":
            return bound(name) { _ in .bool(!text.isEmpty && text.unicodeScalars.allSatisfy(\.properties.isAlphabetic))
            }
        case "isalnum":
            return bound(name) { _ in
                .bool(
                    !text.isEmpty
                        && text.unicodeScalars.allSatisfy {
                            $0.properties.isAlphabetic || $0.properties.numericType != nil
                        })
            }
        case "isspace":
            return bound(name) { _ in .bool(!text.isEmpty && text.unicodeScalars.allSatisfy(\.isPythonWhitespace)) }
        case "isupper", "islower":
            return bound(name) { _ in
                let cased = text.unicodeScalars.filter { $0.properties.isCased }
                let matches = cased.allSatisfy {
                    name == "isupper"
                        ? !$0.properties.changesWhenUppercased
                        : !$0.properties.changesWhenLowercased
                }
                return .bool(!cased.isEmpty && matches)
            }
        default:
            return nil
        }
    }
}
