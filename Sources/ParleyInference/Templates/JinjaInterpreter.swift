/// Renders a parsed template: runs its statements over a context of variables.
///
/// One interpreter renders once; it is not shared between threads. Expressions are evaluated in
/// `JinjaInterpreter+Expressions.swift`.
final class JinjaInterpreter {
    enum Flow {
        case normal
        case breakLoop
        case continueLoop
    }

    let globals: JinjaScope
    /// Every scope made while rendering: macros hold their defining scope, which holds the macro,
    /// so the scopes are emptied at the end to let that cycle go.
    private var scopes: [JinjaScope] = []
    private var macroDepth = 0
    /// Python stops runaway recursion with RecursionError; this stops it before the stack runs out.
    static let maximumMacroDepth = 100

    init(context: [String: JinjaValue]) {
        globals = JinjaScope(parent: nil)
        globals.variables = JinjaGlobals.functions()
        for (name, value) in context {
            globals.variables[name] = value
        }
    }

    func render(_ nodes: [JinjaNode]) throws -> String {
        defer {
            for scope in scopes { scope.variables.removeAll() }
            globals.variables.removeAll()
        }
        var out = ""
        _ = try execute(nodes, in: makeScope(parent: globals), into: &out)
        return out
    }

    func makeScope(parent: JinjaScope) -> JinjaScope {
        let scope = JinjaScope(parent: parent)
        scopes.append(scope)
        return scope
    }

    func execute(_ nodes: [JinjaNode], in scope: JinjaScope, into out: inout String) throws -> Flow {
        for node in nodes {
            let flow = try execute(node, in: scope, into: &out)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    private func execute(_ node: JinjaNode, in scope: JinjaScope, into out: inout String) throws -> Flow {
        switch node {
        case .text(let text):
            out += text
        case .output(let expression, let line):
            try at(line) { out += try evaluate(expression, in: scope).pyStr }
        case .ifChain(let branches, let otherwise, let line):
            var chosen = otherwise
            for branch in branches {
                if try at(line, { try evaluate(branch.test, in: scope).isTruthy }) {
                    chosen = branch.body
                    break
                }
            }
            return try execute(chosen, in: scope, into: &out)
        case .forLoop(let loop):
            try executeLoop(loop, in: scope, into: &out)
        case .set(let target, let expression, let line):
            try at(line) { try assign(try evaluate(expression, in: scope), to: target, in: scope) }
        case .setBlock(let target, let filters, let body, let line):
            var captured = ""
            _ = try execute(body, in: makeScope(parent: scope), into: &captured)
            try at(line) {
                try assign(try applyFilters(filters, to: .string(captured), in: scope), to: target, in: scope)
            }
        case .macro(let definition):
            scope.variables[definition.name] = .callable(makeMacro(definition, scope: scope))
        case .filterBlock(let filters, let body, let line):
            var captured = ""
            let flow = try execute(body, in: scope, into: &captured)
            try at(line) { out += try applyFilters(filters, to: .string(captured), in: scope).pyStr }
            return flow
        case .with(let assignments, let body, let line):
            let inner = makeScope(parent: scope)
            for (target, expression) in assignments {
                try at(line) { try assign(try evaluate(expression, in: scope), to: target, in: inner) }
            }
            return try execute(body, in: inner, into: &out)
        case .breakLoop:
            return .breakLoop
        case .continueLoop:
            return .continueLoop
        }
        return .normal
    }

    /// Runs `body`, placing an error it throws at `line` of the template.
    func at<T>(_ line: Int, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TemplateError {
            throw error.located(line: line)
        }
    }

    private func executeLoop(_ loop: JinjaForLoop, in scope: JinjaScope, into out: inout String) throws {
        var items = try at(loop.line) { try iterate(try evaluate(loop.iterable, in: scope)) }
        if let filter = loop.filter {
            items = try items.filter { item in
                let filterScope = makeScope(parent: scope)
                return try at(loop.line) {
                    try assign(item, to: loop.target, in: filterScope)
                    return try evaluate(filter, in: filterScope).isTruthy
                }
            }
        }
        guard !items.isEmpty else {
            _ = try execute(loop.otherwise, in: scope, into: &out)
            return
        }
        let context = JinjaLoop(items: items, depth: 1)
        for (index, item) in items.enumerated() {
            context.index0 = index
            let iterationScope = makeScope(parent: scope)
            try at(loop.line) { try assign(item, to: loop.target, in: iterationScope) }
            iterationScope.variables["loop"] = .loop(context)
            if case .breakLoop = try execute(loop.body, in: iterationScope, into: &out) { break }
        }
    }

    /// The items a `for` loop walks: a list's elements, a dict's keys, a string's characters.
    func iterate(_ value: JinjaValue) throws -> [JinjaValue] {
        switch value {
        case .undefined: return []
        case .list(let values), .tuple(let values): return values
        case .dict(let dict): return dict.keys
        case .string(let text): return text.unicodeScalars.map { .string(String($0)) }
        case .iterator(let iterator): return iterator.drain()
        case .namespace, .none, .bool, .int, .double, .loop, .callable:
            throw TemplateError.type("'\(value.typeName)' object is not iterable")
        }
    }

    func assign(_ value: JinjaValue, to target: JinjaTarget, in scope: JinjaScope) throws {
        switch target {
        case .name(let name):
            scope.variables[name] = value
        case .tuple(let targets):
            let values = try iterate(value)
            guard values.count == targets.count else {
                if values.count < targets.count {
                    throw TemplateError.runtime(
                        "not enough values to unpack (expected \(targets.count), got \(values.count))")
                }
                throw TemplateError.runtime("too many values to unpack (expected \(targets.count))")
            }
            for (element, target) in zip(values, targets) {
                try assign(element, to: target, in: scope)
            }
        case .namespaceAttribute(let name, let attribute):
            guard case .namespace(let namespace) = scope.lookup(name) else {
                throw TemplateError.runtime("cannot assign attribute on non-namespace object")
            }
            namespace.attributes[attribute] = value
        }
    }

    private func applyFilters(_ filters: [JinjaFilterCall], to value: JinjaValue, in scope: JinjaScope) throws
        -> JinjaValue
    {
        var value = value
        for filter in filters {
            let (positional, keyword) = try evaluate(filter.arguments, in: scope)
            value = try JinjaFilters.apply(filter.name, to: value, positional, keyword, interpreter: self)
        }
        return value
    }

    private func makeMacro(_ macro: JinjaMacroDefinition, scope: JinjaScope) -> JinjaCallable {
        JinjaCallable(name: macro.name) { [unowned self] arguments, keywords in
            self.macroDepth += 1
            defer { self.macroDepth -= 1 }
            guard self.macroDepth <= Self.maximumMacroDepth else {
                throw TemplateError.runtime("maximum recursion depth exceeded in macro '\(macro.name)'")
            }
            let macroScope = self.makeScope(parent: scope)
            var remaining = keywords
            for (index, parameter) in macro.parameters.enumerated() {
                if index < arguments.count {
                    macroScope.variables[parameter.name] = arguments[index]
                } else if let found = remaining.firstIndex(where: { $0.0 == parameter.name }) {
                    macroScope.variables[parameter.name] = remaining.remove(at: found).1
                } else if let defaultValue = parameter.defaultValue {
                    macroScope.variables[parameter.name] = try self.evaluate(defaultValue, in: macroScope)
                } else {
                    macroScope.variables[parameter.name] =
                        .undefined(hint: "parameter '\(parameter.name)' was not provided")
                }
            }
            if macro.catchesKwargs {
                var extra = JinjaDict()
                for (key, value) in remaining { extra[key] = value }
                macroScope.variables["kwargs"] = .dict(extra)
            } else if let (key, _) = remaining.first {
                throw TemplateError.type("macro '\(macro.name)' takes no keyword argument '\(key)'")
            }
            if macro.catchesVarargs {
                macroScope.variables["varargs"] = .tuple(Array(arguments.dropFirst(macro.parameters.count)))
            } else if arguments.count > macro.parameters.count {
                throw TemplateError.type(
                    "macro '\(macro.name)' takes not more than \(macro.parameters.count) argument(s)")
            }
            var captured = ""
            _ = try self.execute(macro.body, in: macroScope, into: &captured)
            return .string(captured)
        }
    }
}
