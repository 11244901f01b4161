/// Expressions, by Jinja's precedence (loosest first): `x if c else y`, `or`, `and`, `not`,
/// comparisons and `in`, `+ -`, `~`, `* / // %`, `**`, unary `- +`, then a primary with its
/// postfixes (`.a`, `[i]`, `(args)`), filters (`| f`) and tests (`is t`).
extension JinjaParser {
    /// `a, b` makes a tuple; a single expression stays itself.
    mutating func parseTuple(
        withCondition: Bool = true,
        endNames: [String] = [],
        explicitParentheses: Bool = false
    ) throws -> JinjaExpression {
        var items: [JinjaExpression] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expect(op: ",") }
            if isTupleEnd(endNames: endNames) { break }
            items.append(withCondition ? try parseExpression() : try parseOr())
            if current.isOp(",") { isTuple = true } else { break }
        }
        if !isTuple {
            if let first = items.first { return first }
            if !explicitParentheses { throw failure("Expected an expression, got '\(current.description)'") }
        }
        return .tuple(items)
    }

    mutating func parseExpression() throws -> JinjaExpression {
        var expression = try parseOr()
        while skip(name: "if") {
            let test = try parseOr()
            let otherwise = skip(name: "else") ? try parseExpression() : nil
            expression = .conditional(test: test, then: expression, otherwise: otherwise)
        }
        return expression
    }

    private mutating func parseOr() throws -> JinjaExpression {
        var left = try parseAnd()
        while skip(name: "or") { left = .or(left, try parseAnd()) }
        return left
    }

    private mutating func parseAnd() throws -> JinjaExpression {
        var left = try parseNot()
        while skip(name: "and") { left = .and(left, try parseNot()) }
        return left
    }

    private mutating func parseNot() throws -> JinjaExpression {
        if skip(name: "not") {
            try enterNesting()
            defer { leaveNesting() }
            return .not(try parseNot())
        }
        return try parseCompare()
    }

    private mutating func parseCompare() throws -> JinjaExpression {
        let left = try parseMath1()
        var operations: [(op: String, operand: JinjaExpression)] = []
        while true {
            if case .op(let op) = current.kind, ["==", "!=", "<", "<=", ">", ">="].contains(op) {
                advance()
                operations.append((op, try parseMath1()))
            } else if skip(name: "in") {
                operations.append(("in", try parseMath1()))
            } else if current.isName("not"), peek().isName("in") {
                advance()
                advance()
                operations.append(("notin", try parseMath1()))
            } else {
                break
            }
        }
        return operations.isEmpty ? left : .compare(left, operations)
    }

    private mutating func parseMath1() throws -> JinjaExpression {
        var left = try parseConcat()
        while case .op(let op) = current.kind, op == "+" || op == "-" {
            advance()
            left = .binary(op, left, try parseConcat())
        }
        return left
    }

    private mutating func parseConcat() throws -> JinjaExpression {
        var parts = [try parseMath2()]
        while skip(op: "~") { parts.append(try parseMath2()) }
        return parts.count == 1 ? parts[0] : .concat(parts)
    }

    private mutating func parseMath2() throws -> JinjaExpression {
        var left = try parsePow()
        while case .op(let op) = current.kind, ["*", "/", "//", "%"].contains(op) {
            advance()
            left = .binary(op, left, try parsePow())
        }
        return left
    }

    private mutating func parsePow() throws -> JinjaExpression {
        var left = try parseUnary()
        while skip(op: "**") { left = .binary("**", left, try parseUnary()) }
        return left
    }

    private mutating func parseUnary(withFilter: Bool = true) throws -> JinjaExpression {
        try enterNesting()
        defer { leaveNesting() }
        var node: JinjaExpression
        if skip(op: "-") {
            node = .negate(try parseUnary(withFilter: false))
        } else if skip(op: "+") {
            node = .plus(try parseUnary(withFilter: false))
        } else {
            node = try parsePrimary()
        }
        node = try parsePostfix(node)
        if withFilter { node = try parseFilterExpression(node) }
        return node
    }

    private mutating func parsePrimary() throws -> JinjaExpression {
        let token = current
        switch token.kind {
        case .name(let name):
            advance()
            switch name {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default:
                recordName(name)
                return .name(name)
            }
        case .string(let value):
            advance()
            var text = value
            while case .string(let more) = current.kind {
                text += more
                advance()
            }
            return .literal(.string(text))
        case .integer(let value):
            advance()
            return .literal(.int(value))
        case .float(let value):
            advance()
            return .literal(.double(value))
        case .op("("):
            advance()
            let expression = try parseTuple(explicitParentheses: true)
            try expect(op: ")")
            return expression
        case .op("["):
            advance()
            var items: [JinjaExpression] = []
            while !current.isOp("]") {
                if !items.isEmpty { try expect(op: ",") }
                if current.isOp("]") { break }
                items.append(try parseExpression())
            }
            advance()
            return .list(items)
        case .op("{"):
            advance()
            var pairs: [(key: JinjaExpression, value: JinjaExpression)] = []
            while !current.isOp("}") {
                if !pairs.isEmpty { try expect(op: ",") }
                if current.isOp("}") { break }
                let key = try parseExpression()
                try expect(op: ":")
                pairs.append((key, try parseExpression()))
            }
            advance()
            return .dict(pairs)
        default:
            throw failure("unexpected '\(token.description)'")
        }
    }

    private mutating func parsePostfix(_ node: JinjaExpression) throws -> JinjaExpression {
        var node = node
        while true {
            if current.isOp(".") || current.isOp("[") {
                node = try parseSubscript(node)
            } else if current.isOp("(") {
                node = .call(node, try parseCallArguments())
            } else {
                return node
            }
        }
    }

    private mutating func parseFilterExpression(_ node: JinjaExpression) throws -> JinjaExpression {
        var node = node
        while true {
            if current.isOp("|") {
                advance()
                var name = try expectName()
                while skip(op: ".") { name += "." + (try expectName()) }
                let arguments = current.isOp("(") ? try parseCallArguments() : JinjaArguments()
                node = .filter(node, name: name, arguments)
            } else if current.isName("is") {
                node = try parseTest(node)
            } else if current.isOp("(") {
                node = .call(node, try parseCallArguments())
            } else {
                return node
            }
        }
    }

    private mutating func parseTest(_ node: JinjaExpression) throws -> JinjaExpression {
        advance()
        let negated = skip(name: "not")
        var name = try expectName()
        while skip(op: ".") { name += "." + (try expectName()) }
        var arguments = JinjaArguments()
        if current.isOp("(") {
            arguments = try parseCallArguments()
        } else if startsTestArgument {
            if current.isName("is") { throw failure("You cannot chain multiple tests with is") }
            arguments.positional = [try parsePostfix(try parsePrimary())]
        }
        let test = JinjaExpression.test(node, name: name, arguments)
        return negated ? .not(test) : test
    }

    private var startsTestArgument: Bool {
        switch current.kind {
        case .name(let name): return !["else", "or", "and"].contains(name)
        case .string, .integer, .float: return true
        case .op(let op): return op == "(" || op == "[" || op == "{"
        default: return false
        }
    }

    private mutating func parseSubscript(_ node: JinjaExpression) throws -> JinjaExpression {
        if skip(op: ".") {
            switch current.kind {
            case .name(let name):
                advance()
                return .attribute(node, name)
            case .integer(let value):
                advance()
                return .item(node, .literal(.int(value)))
            default:
                throw failure("expected name or number")
            }
        }
        advance()
        var arguments: [JinjaExpression] = []
        while !current.isOp("]") {
            if !arguments.isEmpty { try expect(op: ",") }
            arguments.append(try parseSubscribed())
        }
        advance()
        return .item(node, arguments.count == 1 ? arguments[0] : .tuple(arguments))
    }

    private mutating func parseSubscribed() throws -> JinjaExpression {
        var start: JinjaExpression?
        if current.isOp(":") {
            advance()
        } else {
            let expression = try parseExpression()
            guard skip(op: ":") else { return expression }
            start = expression
        }
        var stop: JinjaExpression?
        var step: JinjaExpression?
        if !current.isOp("]"), !current.isOp(","), !current.isOp(":") { stop = try parseExpression() }
        if skip(op: ":"), !current.isOp("]"), !current.isOp(",") { step = try parseExpression() }
        return .slice(start: start, stop: stop, step: step)
    }

    mutating func parseCallArguments() throws -> JinjaArguments {
        try expect(op: "(")
        var arguments = JinjaArguments()
        while !current.isOp(")") {
            if !arguments.positional.isEmpty || !arguments.keyword.isEmpty { try expect(op: ",") }
            if current.isOp(")") { break }
            if current.isOp("*") || current.isOp("**") {
                throw TemplateError.unsupported(
                    "*args and **kwargs in calls are not supported",
                    line: current.line, column: current.column)
            }
            if let name = current.nameValue, peek().isOp("=") {
                advance()
                advance()
                arguments.keyword.append((name, try parseExpression()))
            } else {
                guard arguments.keyword.isEmpty else { throw failure("positional argument follows keyword argument") }
                arguments.positional.append(try parseExpression())
            }
        }
        advance()
        return arguments
    }
}
