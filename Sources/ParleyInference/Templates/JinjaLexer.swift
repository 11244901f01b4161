/// Splits a template into tokens the way Jinja's lexer does with `trim_blocks=True` and
/// `lstrip_blocks=True` (the settings of transformers' chat template environment):
///
/// - `{%-`/`-%}` (and `{{-`, `-}}`, `{#-`, `-#}`) strip all whitespace on that side;
/// - `%}` and `#}` swallow one newline right after them (`+%}` keeps it);
/// - spaces and tabs between the start of a line and `{%` or `{#` are dropped (`{%+` keeps them);
/// - `\r\n` and `\r` become `\n`, and one newline at the very end of the template is dropped.
struct JinjaLexer {
    private let source: [Unicode.Scalar]
    private let lineStarts: [Int]
    private var position = 0
    private var tokens: [JinjaToken] = []

    init(_ text: String) {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.unicodeScalars.count)
        var iterator = text.unicodeScalars.makeIterator()
        var pending = iterator.next()
        while let scalar = pending {
            pending = iterator.next()
            if scalar == "\r" {
                scalars.append("\n")
                if pending == "\n" { pending = iterator.next() }
            } else {
                scalars.append(scalar)
            }
        }
        if scalars.last == "\n" { scalars.removeLast() }
        source = scalars
        var starts = [0]
        for (index, scalar) in scalars.enumerated() where scalar == "\n" {
            starts.append(index + 1)
        }
        lineStarts = starts
    }

    /// The tokens of the whole template, ending with `.eof`.
    static func tokenize(_ text: String) throws -> [JinjaToken] {
        var lexer = JinjaLexer(text)
        try lexer.run()
        return lexer.tokens
    }

    // MARK: - Positions

    private func location(_ offset: Int) -> (line: Int, column: Int) {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return (low + 1, offset - lineStarts[low] + 1)
    }

    private mutating func emit(_ kind: JinjaToken.Kind, at offset: Int) {
        let (line, column) = location(offset)
        tokens.append(JinjaToken(kind: kind, line: line, column: column))
    }

    private func error(_ message: String, at offset: Int) -> TemplateError {
        let (line, column) = location(offset)
        return .syntax(message, line: line, column: column)
    }

    private func starts(with text: String, at offset: Int) -> Bool {
        var index = offset
        for scalar in text.unicodeScalars {
            guard index < source.count, source[index] == scalar else { return false }
            index += 1
        }
        return true
    }

    private func skipWhitespace(from offset: Int) -> Int {
        var index = offset
        while index < source.count, source[index].isPythonWhitespace { index += 1 }
        return index
    }

    // MARK: - Template text

    private enum TagKind { case block, variable, comment, raw }

    private mutating func run() throws {
        var lineStarting = true
        while position < source.count {
            guard let (tagStart, kind) = nextTag(from: position) else {
                emit(.data(String(String.UnicodeScalarView(source[position...]))), at: position)
                break
            }
            let signOffset = tagStart + 2
            let sign: Unicode.Scalar? =
                signOffset < source.count && (source[signOffset] == "-" || source[signOffset] == "+")
                ? source[signOffset] : nil
            var text = Array(source[position..<tagStart])
            if sign == "-" {
                while let last = text.last, last.isPythonWhitespace { text.removeLast() }
            } else if sign != "+", kind != .variable {
                let lineStart = (text.lastIndex(of: "\n").map { $0 + 1 }) ?? 0
                if lineStart > 0 || lineStarting, lineStart < text.count,
                    text[lineStart...].allSatisfy(\.isPythonWhitespace)
                {
                    text.removeSubrange(lineStart...)
                }
            }
            if !text.isEmpty {
                emit(.data(String(String.UnicodeScalarView(text))), at: position)
            }
            position = signOffset + (sign == nil ? 0 : 1)
            switch kind {
            case .comment: try lexComment(start: tagStart)
            case .raw: try lexRaw(start: tagStart)
            case .block, .variable: try lexTag(kind, start: tagStart)
            }
            lineStarting = position > 0 && source[position - 1] == "\n"
        }
        emit(.eof, at: source.count)
    }

    /// The next `{%`, `{{` or `{#` at or after `offset`.
    private func nextTag(from offset: Int) -> (Int, TagKind)? {
        var index = offset
        while index + 1 < source.count {
            if source[index] == "{" {
                switch source[index + 1] {
                case "%": return (index, rawEnd(afterBlockStart: index) == nil ? .block : .raw)
                case "{": return (index, .variable)
                case "#": return (index, .comment)
                default: break
                }
            }
            index += 1
        }
        return nil
    }

    /// Where `{% raw %}` (with optional signs) starting at `start` ends, if it is one.
    private func rawEnd(afterBlockStart start: Int) -> Int? {
        var index = start + 2
        if index < source.count, source[index] == "-" || source[index] == "+" { index += 1 }
        index = skipWhitespace(from: index)
        guard starts(with: "raw", at: index) else { return nil }
        index = skipWhitespace(from: index + 3)
        if starts(with: "-%}", at: index) { return skipWhitespace(from: index + 3) }
        if starts(with: "%}", at: index) { return index + 2 }
        return nil
    }

    private mutating func lexComment(start: Int) throws {
        var index = position
        while index < source.count {
            if starts(with: "+#}", at: index) {
                position = index + 3
                return
            }
            if starts(with: "-#}", at: index) {
                position = skipWhitespace(from: index + 3)
                return
            }
            if starts(with: "#}", at: index) {
                position = index + 2
                if position < source.count, source[position] == "\n" { position += 1 }
                return
            }
            index += 1
        }
        throw error("Missing end of comment tag", at: start)
    }

    private mutating func lexRaw(start: Int) throws {
        position = rawEnd(afterBlockStart: start)!
        let lineStarting = source[position - 1] == "\n"
        var index = position
        while index < source.count {
            if source[index] == "{", index + 1 < source.count, source[index + 1] == "%",
                let end = endRawEnd(at: index)
            {
                var text = Array(source[position..<index])
                let sign = source[index + 2]
                if sign == "-" {
                    while let last = text.last, last.isPythonWhitespace { text.removeLast() }
                } else if sign != "+" {
                    let lineStart = (text.lastIndex(of: "\n").map { $0 + 1 }) ?? 0
                    if lineStart > 0 || lineStarting, lineStart < text.count,
                        text[lineStart...].allSatisfy(\.isPythonWhitespace)
                    {
                        text.removeSubrange(lineStart...)
                    }
                }
                if !text.isEmpty { emit(.data(String(String.UnicodeScalarView(text))), at: position) }
                position = end
                return
            }
            index += 1
        }
        throw error("Missing end of raw directive", at: start)
    }

    /// Where `{% endraw %}` starting at `start` ends, if it is one.
    private func endRawEnd(at start: Int) -> Int? {
        var index = start + 2
        if index < source.count, source[index] == "-" || source[index] == "+" { index += 1 }
        index = skipWhitespace(from: index)
        guard starts(with: "endraw", at: index) else { return nil }
        index = skipWhitespace(from: index + 6)
        if starts(with: "+%}", at: index) { return index + 3 }
        if starts(with: "-%}", at: index) { return skipWhitespace(from: index + 3) }
        if starts(with: "%}", at: index) {
            index += 2
            if index < source.count, source[index] == "\n" { index += 1 }
            return index
        }
        return nil
    }

    // MARK: - Inside {% %} and {{ }}

    private mutating func lexTag(_ kind: TagKind, start: Int) throws {
        emit(kind == .block ? .blockBegin : .variableBegin, at: start)
        var brackets: [(Unicode.Scalar, Int)] = []
        while true {
            guard position < source.count else { return }  // the parser reports the missing end
            if brackets.isEmpty, let end = tagEnd(kind, at: position) {
                emit(kind == .block ? .blockEnd : .variableEnd, at: position)
                position = end
                return
            }
            let scalar = source[position]
            if scalar.isPythonWhitespace {
                position = skipWhitespace(from: position)
            } else if scalar.properties.numericType == .decimal, scalar.isASCII {
                try lexNumber()
            } else if scalar == "_" || scalar.properties.isXIDStart {
                lexName()
            } else if scalar == "'" || scalar == "\"" {
                try lexString()
            } else {
                try lexOperator(&brackets)
            }
        }
    }

    private func tagEnd(_ kind: TagKind, at index: Int) -> Int? {
        if kind == .block {
            if starts(with: "+%}", at: index) { return index + 3 }
            if starts(with: "-%}", at: index) { return skipWhitespace(from: index + 3) }
            if starts(with: "%}", at: index) {
                return index + 2 < source.count && source[index + 2] == "\n" ? index + 3 : index + 2
            }
        } else {
            if starts(with: "-}}", at: index) { return skipWhitespace(from: index + 3) }
            if starts(with: "}}", at: index) { return index + 2 }
        }
        return nil
    }

    private func isDigit(_ index: Int) -> Bool {
        index < source.count && source[index].isASCII && source[index].properties.numericType == .decimal
    }

    /// Digits with single underscores between them (`1_000`), as Jinja's number rules allow.
    private func digitsEnd(from index: Int) -> Int? {
        guard isDigit(index) else { return nil }
        var end = index
        while isDigit(end) || (end < source.count && source[end] == "_" && isDigit(end + 1)) { end += 1 }
        return end
    }

    private mutating func lexNumber() throws {
        let start = position
        var end = digitsEnd(from: start)!
        var isFloat = false
        if end < source.count, source[end] == ".", let fraction = digitsEnd(from: end + 1) {
            end = fraction
            isFloat = true
        }
        if end < source.count, source[end] == "e" {
            var exponent = end + 1
            if exponent < source.count, source[exponent] == "+" || source[exponent] == "-" { exponent += 1 }
            if let exponentEnd = digitsEnd(from: exponent) {
                end = exponentEnd
                isFloat = true
            }
        }
        let text = String(String.UnicodeScalarView(source[start..<end].filter { $0 != "_" }))
        position = end
        if isFloat {
            emit(.float(Double(text) ?? .infinity), at: start)
        } else if let value = Int(text) {
            emit(.integer(value), at: start)
        } else {
            throw error("integer literal \(text) is too large", at: start)
        }
    }

    private mutating func lexName() {
        let start = position
        position += 1
        while position < source.count, source[position] == "_" || source[position].properties.isXIDContinue {
            position += 1
        }
        emit(.name(String(String.UnicodeScalarView(source[start..<position]))), at: start)
    }

    private mutating func lexString() throws {
        let start = position
        let quote = source[position]
        var index = position + 1
        while index < source.count, source[index] != quote {
            index += source[index] == "\\" ? 2 : 1
        }
        guard index < source.count else { throw error("unterminated string literal", at: start) }
        do {
            let value = try JinjaStringLiteral.decode(Array(source[(start + 1)..<index]))
            emit(.string(value), at: start)
        } catch let message as JinjaStringLiteral.DecodeError {
            throw error(message.reason, at: start)
        }
        position = index + 1
    }

    private static let operators = [
        "//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[", "]", "(",
        ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";",
    ]
    private static let closing: [Unicode.Scalar: Unicode.Scalar] = [")": "(", "]": "[", "}": "{"]

    private mutating func lexOperator(_ brackets: inout [(Unicode.Scalar, Int)]) throws {
        guard let op = Self.operators.first(where: { starts(with: $0, at: position) }) else {
            throw error("unexpected char '\(Character(source[position]))'", at: position)
        }
        let scalar = op.unicodeScalars.first!
        if op == "(" || op == "[" || op == "{" {
            brackets.append((scalar, position))
        } else if let opening = Self.closing[scalar] {
            guard let last = brackets.popLast() else { throw error("unexpected '\(op)'", at: position) }
            guard last.0 == opening else {
                let expected = Self.closing.first { $0.value == last.0 }!.key
                throw error("unexpected '\(op)', expected '\(Character(expected))'", at: position)
            }
        }
        emit(.op(op), at: position)
        position += op.unicodeScalars.count
    }
}
