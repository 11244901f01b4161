/// Builds the syntax tree of a template from its tokens, following the grammar of Jinja's parser.
///
/// Statements are here; expressions are in `JinjaParser+Expressions.swift`.
struct JinjaParser {
    /// Deeper nesting than any real template has; it bounds the recursion of parsing and rendering.
    static let maximumDepth = 100

    private let tokens: [JinjaToken]
    private var index = 0
    private var loopDepth = 0
    private var depth = 0
    /// Names read inside each macro body being parsed, innermost last.
    private var macroNames: [Set<String>] = []

    init(tokens: [JinjaToken]) {
        self.tokens = tokens
    }

    static func parse(_ source: String) throws -> [JinjaNode] {
        var parser = JinjaParser(tokens: try JinjaLexer.tokenize(source))
        let body = try parser.parseBody(endTags: [])
        guard case .eof = parser.current.kind else {
            throw parser.failure("unexpected '\(parser.current.description)'")
        }
        return body
    }

    // MARK: - Token stream

    var current: JinjaToken { tokens[index] }

    func peek(_ offset: Int = 1) -> JinjaToken {
        tokens[min(index + offset, tokens.count - 1)]
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    /// Notes a variable read, for the macros around it.
    mutating func recordName(_ name: String) {
        for index in macroNames.indices { macroNames[index].insert(name) }
    }

    mutating func enterNesting() throws {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw failure("the template nests deeper than \(Self.maximumDepth) levels")
        }
    }

    mutating func leaveNesting() {
        depth -= 1
    }

    func failure(_ message: String, at token: JinjaToken? = nil) -> TemplateError {
        let token = token ?? current
        return .syntax(message, line: token.line, column: token.column)
    }

    mutating func skip(op: String) -> Bool {
        guard current.isOp(op) else { return false }
        advance()
        return true
    }

    mutating func skip(name: String) -> Bool {
        guard current.isName(name) else { return false }
        advance()
        return true
    }

    mutating func expect(op: String) throws {
        guard skip(op: op) else { throw failure("expected '\(op)', got '\(current.description)'") }
    }

    mutating func expectName(_ name: String? = nil) throws -> String {
        guard let value = current.nameValue, name == nil || value == name else {
            throw failure("expected \(name.map { "'\($0)'" } ?? "a name"), got '\(current.description)'")
        }
        advance()
        return value
    }

    mutating func expectBlockEnd() throws {
        guard case .blockEnd = current.kind else {
            throw failure("expected 'end of statement block', got '\(current.description)'")
        }
        advance()
    }

    // MARK: - Template body

    /// Parses until `{% tag %}` for one of `endTags` (left unconsumed, the stream on the tag's name)
    /// or the end of the template when `endTags` is empty.
    private mutating func parseBody(endTags: [String]) throws -> [JinjaNode] {
        var body: [JinjaNode] = []
        while true {
            let token = current
            switch token.kind {
            case .data(let text):
                body.append(.text(text))
                advance()
            case .variableBegin:
                advance()
                let expression = try parseTuple()
                guard case .variableEnd = current.kind else {
                    throw failure("expected 'end of print statement', got '\(current.description)'")
                }
                advance()
                body.append(.output(expression, line: token.line))
            case .blockBegin:
                advance()
                if let name = current.nameValue, endTags.contains(name) { return body }
                body.append(try parseStatement())
                try expectBlockEnd()
            case .eof:
                guard endTags.isEmpty else {
                    let wanted = endTags.map { "'\($0)'" }.joined(separator: " or ")
                    throw failure("unexpected end of template; Jinja was looking for the following tags: \(wanted)")
                }
                return body
            default:
                throw failure("unexpected '\(token.description)'")
            }
        }
    }

    /// After a statement's header: `%}`, then the body up to one of `endTags`.
    private mutating func parseStatements(until endTags: [String], dropNeedle: Bool = false) throws -> [JinjaNode] {
        _ = skip(op: ":")
        try expectBlockEnd()
        let body = try parseBody(endTags: endTags)
        if dropNeedle { advance() }
        return body
    }

    private mutating func parseStatement() throws -> JinjaNode {
        try enterNesting()
        defer { leaveNesting() }
        let token = current
        guard let tag = token.nameValue else { throw failure("tag name expected") }
        switch tag {
        case "if": return try parseIf()
        case "for": return try parseFor()
        case "set": return try parseSet()
        case "macro": return try parseMacro()
        case "filter": return try parseFilterBlock()
        case "with": return try parseWith()
        case "generation":
            // transformers' `{% generation %}` marks assistant text for masks; it renders its body.
            advance()
            return .filterBlock(
                filters: [], body: try parseStatements(until: ["endgeneration"], dropNeedle: true),
                line: token.line)
        case "break", "continue":
            guard loopDepth > 0 else { throw failure("'\(tag)' outside of a loop") }
            advance()
            return tag == "break" ? .breakLoop : .continueLoop
        case "include", "extends", "import", "from", "block", "call", "do", "autoescape":
            throw TemplateError.unsupported(
                "the '\(tag)' tag is not supported in chat templates", line: token.line, column: token.column)
        default:
            throw failure("Encountered unknown tag '\(tag)'.")
        }
    }

    private mutating func parseIf() throws -> JinjaNode {
        let line = current.line
        advance()
        var branches: [(test: JinjaExpression, body: [JinjaNode])] = []
        var otherwise: [JinjaNode] = []
        while true {
            let test = try parseTuple(withCondition: false)
            let body = try parseStatements(until: ["elif", "else", "endif"])
            branches.append((test, body))
            let tag = current.nameValue
            advance()
            if tag == "elif" { continue }
            if tag == "else" { otherwise = try parseStatements(until: ["endif"], dropNeedle: true) }
            break
        }
        return .ifChain(branches: branches, otherwise: otherwise, line: line)
    }

    private mutating func parseFor() throws -> JinjaNode {
        let line = current.line
        advance()
        let target = try parseAssignTarget(endNames: ["in"])
        _ = try expectName("in")
        let iterable = try parseTuple(withCondition: false, endNames: ["recursive"])
        var filter: JinjaExpression?
        if skip(name: "if") { filter = try parseExpression() }
        if current.isName("recursive") {
            throw TemplateError.unsupported(
                "recursive loops are not supported", line: current.line, column: current.column)
        }
        loopDepth += 1
        let body = try parseStatements(until: ["endfor", "else"])
        loopDepth -= 1
        var otherwise: [JinjaNode] = []
        let tag = current.nameValue
        advance()
        if tag == "else" { otherwise = try parseStatements(until: ["endfor"], dropNeedle: true) }
        return .forLoop(
            JinjaForLoop(
                target: target, iterable: iterable, filter: filter, body: body,
                otherwise: otherwise, line: line))
    }

    private mutating func parseSet() throws -> JinjaNode {
        let line = current.line
        advance()
        let target = try parseAssignTarget(allowNamespace: true)
        if skip(op: "=") {
            return .set(target, try parseTuple(), line: line)
        }
        let filters = try parseFilterChain(startInline: false)
        let body = try parseStatements(until: ["endset"], dropNeedle: true)
        return .setBlock(target, filters: filters, body: body, line: line)
    }

    private mutating func parseMacro() throws -> JinjaNode {
        let line = current.line
        advance()
        let name = try expectName()
        try expect(op: "(")
        var parameters: [JinjaParameter] = []
        while !current.isOp(")") {
            if !parameters.isEmpty { try expect(op: ",") }
            if current.isOp(")") { break }
            let parameter = try expectName()
            var defaultValue: JinjaExpression?
            if skip(op: "=") {
                defaultValue = try parseExpression()
            } else if parameters.last?.defaultValue != nil {
                throw failure("non-default argument follows default argument")
            }
            parameters.append(JinjaParameter(name: parameter, defaultValue: defaultValue))
        }
        advance()
        let savedDepth = loopDepth
        loopDepth = 0
        macroNames.append([])
        let body = try parseStatements(until: ["endmacro"], dropNeedle: true)
        let names = macroNames.removeLast()
        loopDepth = savedDepth
        return .macro(
            JinjaMacroDefinition(
                name: name, parameters: parameters, body: body, catchesVarargs: names.contains("varargs"),
                catchesKwargs: names.contains("kwargs"), line: line))
    }

    private mutating func parseFilterBlock() throws -> JinjaNode {
        let line = current.line
        advance()
        let filters = try parseFilterChain(startInline: true)
        let body = try parseStatements(until: ["endfilter"], dropNeedle: true)
        return .filterBlock(filters: filters, body: body, line: line)
    }

    private mutating func parseWith() throws -> JinjaNode {
        let line = current.line
        advance()
        var assignments: [(JinjaTarget, JinjaExpression)] = []
        while !isBlockEnd {
            if !assignments.isEmpty { try expect(op: ",") }
            let target = try parseAssignTarget()
            try expect(op: "=")
            assignments.append((target, try parseExpression()))
        }
        let body = try parseStatements(until: ["endwith"], dropNeedle: true)
        return .with(assignments: assignments, body: body, line: line)
    }

    var isBlockEnd: Bool {
        if case .blockEnd = current.kind { return true }
        return false
    }

    /// `| name(args) | name` after `{% filter` (inline: no leading pipe) or `{% set x`.
    private mutating func parseFilterChain(startInline: Bool) throws -> [JinjaFilterCall] {
        var filters: [JinjaFilterCall] = []
        var inline = startInline
        while inline || current.isOp("|") {
            if !inline { advance() }
            inline = false
            var name = try expectName()
            while skip(op: ".") { name += "." + (try expectName()) }
            let arguments = current.isOp("(") ? try parseCallArguments() : JinjaArguments()
            filters.append(JinjaFilterCall(name: name, arguments: arguments))
        }
        return filters
    }

    /// A name, `a, b` (or `(a, b)`), or with `allowNamespace`, `ns.attribute`.
    private mutating func parseAssignTarget(allowNamespace: Bool = false, endNames: [String] = []) throws
        -> JinjaTarget
    {
        if allowNamespace, current.nameValue != nil, peek().isOp(".") {
            let namespace = try expectName()
            advance()
            return .namespaceAttribute(namespace, try expectName())
        }
        var targets: [JinjaTarget] = []
        var isTuple = false
        while true {
            if !targets.isEmpty { try expect(op: ",") }
            if isTupleEnd(endNames: endNames) { break }
            targets.append(try parseTargetPrimary())
            if current.isOp(",") { isTuple = true } else { break }
        }
        guard !targets.isEmpty else { throw failure("expected an assignment target, got '\(current.description)'") }
        return isTuple ? .tuple(targets) : targets[0]
    }

    private mutating func parseTargetPrimary() throws -> JinjaTarget {
        if skip(op: "(") {
            let target = try parseAssignTarget()
            try expect(op: ")")
            return target
        }
        guard let name = current.nameValue,
            !["true", "false", "True", "False", "none", "None"].contains(name)
        else { throw failure("can't assign to '\(current.description)'") }
        advance()
        return .name(name)
    }

    func isTupleEnd(endNames: [String] = []) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd, .eof: return true
        case .op(")"): return true
        case .name(let name): return endNames.contains(name)
        default: return false
        }
    }
}
