extension JinjaInterpreter {
    func evaluate(_ expression: JinjaExpression, in scope: JinjaScope) throws -> JinjaValue {
        switch expression {
        case .literal(let literal):
            switch literal {
            case .none: return .none
            case .bool(let value): return .bool(value)
            case .int(let value): return .int(value)
            case .double(let value): return .double(value)
            case .string(let value): return .string(value)
            }
        case .name(let name):
            return scope.lookup(name) ?? .undefinedName(name)
        case .list(let items):
            return .list(try items.map { try evaluate($0, in: scope) })
        case .tuple(let items):
            return .tuple(try items.map { try evaluate($0, in: scope) })
        case .dict(let pairs):
            var dict = JinjaDict()
            for pair in pairs {
                let key = try evaluate(pair.key, in: scope)
                guard key.isHashable else { throw TemplateError.type("unhashable type: '\(key.typeName)'") }
                dict[key] = try evaluate(pair.value, in: scope)
            }
            return .dict(dict)
        case .attribute(let base, let name):
            return try JinjaAttributes.attribute(of: try evaluate(base, in: scope), name)
        case .item(let base, let index):
            let value = try evaluate(base, in: scope)
            if case .slice(let start, let stop, let step) = index {
                return try JinjaAttributes.slice(
                    value,
                    start: try start.map { try evaluate($0, in: scope) },
                    stop: try stop.map { try evaluate($0, in: scope) },
                    step: try step.map { try evaluate($0, in: scope) })
            }
            return try JinjaAttributes.item(of: value, try evaluate(index, in: scope))
        case .slice:
            throw TemplateError.syntax("a slice is only allowed inside []", line: 0, column: 0)
        case .call(let callee, let arguments):
            let function = try evaluate(callee, in: scope)
            let (positional, keyword) = try evaluate(arguments, in: scope)
            return try call(function, positional, keyword)
        case .filter(let base, let name, let arguments):
            let value = try evaluate(base, in: scope)
            let (positional, keyword) = try evaluate(arguments, in: scope)
            return try JinjaFilters.apply(name, to: value, positional, keyword, interpreter: self)
        case .test(let base, let name, let arguments):
            let value = try evaluate(base, in: scope)
            let (positional, keyword) = try evaluate(arguments, in: scope)
            return .bool(try JinjaPredicates.test(name, value, positional, keyword, interpreter: self))
        case .not(let operand):
            return .bool(!(try evaluate(operand, in: scope).isTruthy))
        case .negate(let operand):
            return try JinjaOperators.negate(try evaluate(operand, in: scope))
        case .plus(let operand):
            let value = try evaluate(operand, in: scope)
            if case .undefined(let hint) = value { throw TemplateError.undefined(hint) }
            guard value.numberValue != nil else {
                throw TemplateError.type("bad operand type for unary +: '\(value.typeName)'")
            }
            return value
        case .and(let left, let right):
            let value = try evaluate(left, in: scope)
            return value.isTruthy ? try evaluate(right, in: scope) : value
        case .or(let left, let right):
            let value = try evaluate(left, in: scope)
            return value.isTruthy ? value : try evaluate(right, in: scope)
        case .binary(let op, let left, let right):
            return try JinjaOperators.binary(op, try evaluate(left, in: scope), try evaluate(right, in: scope))
        case .concat(let parts):
            return .string(try parts.map { try evaluate($0, in: scope).pyStr }.joined())
        case .compare(let first, let operations):
            var left = try evaluate(first, in: scope)
            for operation in operations {
                let right = try evaluate(operation.operand, in: scope)
                guard try JinjaOperators.compare(operation.op, left, right) else { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .conditional(let test, let then, let otherwise):
            if try evaluate(test, in: scope).isTruthy { return try evaluate(then, in: scope) }
            guard let otherwise else { return .undefined(hint: "the inline if-expression evaluated to false") }
            return try evaluate(otherwise, in: scope)
        }
    }

    func evaluate(_ arguments: JinjaArguments, in scope: JinjaScope) throws
        -> ([JinjaValue], [(String, JinjaValue)])
    {
        let positional = try arguments.positional.map { try evaluate($0, in: scope) }
        let keyword = try arguments.keyword.map { ($0.name, try evaluate($0.value, in: scope)) }
        return (positional, keyword)
    }

    func call(_ function: JinjaValue, _ positional: [JinjaValue], _ keyword: [(String, JinjaValue)]) throws
        -> JinjaValue
    {
        switch function {
        case .callable(let callable):
            return try callable.body(positional, keyword)
        case .undefined(let hint):
            throw TemplateError.undefined(hint)
        default:
            throw TemplateError.type("'\(function.typeName)' object is not callable")
        }
    }
}
