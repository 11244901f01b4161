/// The left side of `set`, and the variables of `for`.
indirect enum JinjaTarget: Sendable {
    case name(String)
    case tuple([JinjaTarget])
    /// `namespace.attribute`
    case namespaceAttribute(String, String)
}

/// A filter applied to a block (`{% filter upper %}`, `{% set x | trim %}`).
struct JinjaFilterCall: Sendable {
    var name: String
    var arguments: JinjaArguments
}

/// A macro's parameter, with its default.
struct JinjaParameter: Sendable {
    var name: String
    var defaultValue: JinjaExpression?
}

/// A statement of the template body.
indirect enum JinjaNode: Sendable {
    case text(String)
    case output(JinjaExpression, line: Int)
    case ifChain(branches: [(test: JinjaExpression, body: [JinjaNode])], otherwise: [JinjaNode], line: Int)
    case forLoop(JinjaForLoop)
    case set(JinjaTarget, JinjaExpression, line: Int)
    case setBlock(JinjaTarget, filters: [JinjaFilterCall], body: [JinjaNode], line: Int)
    case macro(JinjaMacroDefinition)
    case filterBlock(filters: [JinjaFilterCall], body: [JinjaNode], line: Int)
    case with(assignments: [(JinjaTarget, JinjaExpression)], body: [JinjaNode], line: Int)
    case breakLoop
    case continueLoop
}

struct JinjaForLoop: Sendable {
    var target: JinjaTarget
    var iterable: JinjaExpression
    var filter: JinjaExpression?
    var body: [JinjaNode]
    var otherwise: [JinjaNode]
    var line: Int
}

struct JinjaMacroDefinition: Sendable {
    var name: String
    var parameters: [JinjaParameter]
    var body: [JinjaNode]
    /// Whether the body reads `varargs` or `kwargs`: only then may a call pass more positional
    /// or unknown keyword arguments than the macro declares (Jinja's rule).
    var catchesVarargs: Bool
    var catchesKwargs: Bool
    var line: Int
}
