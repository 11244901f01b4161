/// A constant written in the template.
enum JinjaLiteral: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
}

/// Arguments of a call, a filter or a test: positional, then `name=value`.
struct JinjaArguments: Sendable {
    var positional: [JinjaExpression] = []
    var keyword: [(name: String, value: JinjaExpression)] = []
}

/// An expression, with the line it starts on (for runtime error messages).
indirect enum JinjaExpression: Sendable {
    case literal(JinjaLiteral)
    case name(String)
    case list([JinjaExpression])
    case tuple([JinjaExpression])
    case dict([(key: JinjaExpression, value: JinjaExpression)])
    /// `value.name`
    case attribute(JinjaExpression, String)
    /// `value[index]`
    case item(JinjaExpression, JinjaExpression)
    /// `start:stop:step`, only inside `[]`.
    case slice(start: JinjaExpression?, stop: JinjaExpression?, step: JinjaExpression?)
    case call(JinjaExpression, JinjaArguments)
    /// `value | name(args)`
    case filter(JinjaExpression, name: String, JinjaArguments)
    /// `value is name(args)`
    case test(JinjaExpression, name: String, JinjaArguments)
    case not(JinjaExpression)
    case negate(JinjaExpression)
    case plus(JinjaExpression)
    case and(JinjaExpression, JinjaExpression)
    case or(JinjaExpression, JinjaExpression)
    /// `+ - * / // % **`
    case binary(String, JinjaExpression, JinjaExpression)
    /// `a ~ b ~ c`
    case concat([JinjaExpression])
    /// `a < b <= c`, with `in` and `notin` among the operators.
    case compare(JinjaExpression, [(op: String, operand: JinjaExpression)])
    /// `value if test else otherwise`; no `else` gives undefined.
    case conditional(test: JinjaExpression, then: JinjaExpression, otherwise: JinjaExpression?)
}
