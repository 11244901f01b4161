import Foundation

/// The functions every template can call: Jinja's `range`, `namespace`, `dict`, and the ones
/// transformers adds, `raise_exception` and `strftime_now`.
enum JinjaGlobals {
    /// Jinja's sandbox refuses longer ranges.
    static let maximumRange = 100_000

    static func functions() -> [String: JinjaValue] {
        [
            "range": function("range", range),
            "namespace": function("namespace") { arguments in
                let namespace = JinjaNamespace()
                namespace.attributes = try dictionary(arguments)
                return .namespace(namespace)
            },
            "dict": function("dict") { .dict(try dictionary($0)) },
            "raise_exception": function("raise_exception") { arguments in
                throw TemplateError.raised(try arguments.required(0, "message").pyStr)
            },
            "strftime_now": function("strftime_now") { arguments in
                .string(strftime(try arguments.string(0, "format") ?? "", Date()))
            },
        ]
    }

    private static func function(_ name: String, _ body: @escaping (JinjaArgumentReader) throws -> JinjaValue)
        -> JinjaValue
    {
        .callable(
            JinjaCallable(name: name) { positional, keyword in
                try body(JinjaArgumentReader(name, positional, keyword))
            })
    }

    private static func range(_ arguments: JinjaArgumentReader) throws -> JinjaValue {
        let numbers = try arguments.positional.map { value -> Int in
            guard let number = value.intValue, !isDouble(value) else {
                throw TemplateError.type("'\(value.typeName)' object cannot be interpreted as an integer")
            }
            return number
        }
        let (start, stop, step): (Int, Int, Int)
        switch numbers.count {
        case 1: (start, stop, step) = (0, numbers[0], 1)
        case 2: (start, stop, step) = (numbers[0], numbers[1], 1)
        case 3: (start, stop, step) = (numbers[0], numbers[1], numbers[2])
        default: throw TemplateError.type("range expected 1 to 3 arguments, got \(numbers.count)")
        }
        guard step != 0 else { throw TemplateError.runtime("range() arg 3 must not be zero") }
        let values = Array(stride(from: start, to: stop, by: step))
        guard values.count <= maximumRange else {
            throw TemplateError.runtime(
                "Range too big. The sandbox blocks ranges larger than MAX_RANGE (\(maximumRange)).")
        }
        return .list(values.map(JinjaValue.int))
    }

    private static func isDouble(_ value: JinjaValue) -> Bool {
        if case .double = value { return true }
        return false
    }

    /// `dict(mapping_or_pairs, **kwargs)`.
    private static func dictionary(_ arguments: JinjaArgumentReader) throws -> JinjaDict {
        var dict = JinjaDict()
        if let first = arguments.positional.first {
            switch first {
            case .dict(let source): dict = source
            default:
                for pair in try JinjaFilters.iterateForFilter(first) {
                    guard let elements = pair.sequenceValue, elements.count == 2 else {
                        throw TemplateError.type("dictionary update sequence element has wrong length")
                    }
                    dict[elements[0]] = elements[1]
                }
            }
        }
        for (key, value) in arguments.keyword { dict[key] = value }
        return dict
    }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ]
    private static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// C-locale `strftime` for the codes chat templates use (`"%d %b %Y"` in Llama 3.x).
    static func strftime(_ format: String, _ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let dayOfYear = calendar.ordinality(of: .day, in: .year, for: date) ?? 1
        func padded(_ value: Int, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let weekday = ((parts.weekday ?? 1) + 5) % 7  // Foundation: Sunday = 1; here Monday = 0
        let hour = parts.hour ?? 0
        var out = ""
        var characters = format.makeIterator()
        while let character = characters.next() {
            guard character == "%", let code = characters.next() else {
                out.append(character)
                continue
            }
            switch code {
            case "Y": out += String(parts.year ?? 0)
            case "y": out += padded((parts.year ?? 0) % 100)
            case "m": out += padded(parts.month ?? 1)
            case "d": out += padded(parts.day ?? 1)
            case "e": out += (parts.day ?? 1) < 10 ? " \(parts.day ?? 1)" : String(parts.day ?? 1)
            case "j": out += padded(dayOfYear, 3)
            case "H": out += padded(hour)
            case "I": out += padded(hour % 12 == 0 ? 12 : hour % 12)
            case "p": out += hour < 12 ? "AM" : "PM"
            case "M": out += padded(parts.minute ?? 0)
            case "S": out += padded(parts.second ?? 0)
            case "B": out += monthNames[(parts.month ?? 1) - 1]
            case "b", "h": out += String(monthNames[(parts.month ?? 1) - 1].prefix(3))
            case "A": out += dayNames[weekday]
            case "a": out += String(dayNames[weekday].prefix(3))
            case "%": out += "%"
            case "-":
                // glibc's "no padding" flag, as in "%-d".
                guard let next = characters.next() else {
                    out += "%-"
                    break
                }
                let value = strftime("%" + String(next), date)
                out += Int(value).map { String($0) } ?? value
            default: out += "%" + String(code)
            }
        }
        return out
    }
}
