/// One token of a template, as Jinja's lexer produces it.
struct JinjaToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// Literal template text, already stripped by the whitespace rules.
        case data(String)
        case variableBegin
        case variableEnd
        case blockBegin
        case blockEnd
        case name(String)
        case string(String)
        case integer(Int)
        case float(Double)
        /// An operator or punctuation: `+`, `//`, `==`, `(`, `|`, `.`, ...
        case op(String)
        case eof
    }

    let kind: Kind
    let line: Int
    let column: Int

    /// How Jinja names the token in its error messages.
    var description: String {
        switch kind {
        case .data: return "template data"
        case .variableBegin: return "begin of print statement"
        case .variableEnd: return "end of print statement"
        case .blockBegin: return "begin of statement block"
        case .blockEnd: return "end of statement block"
        case .name(let name): return name
        case .string(let value): return "string '\(value)'"
        case .integer(let value): return "integer \(value)"
        case .float(let value): return "float \(value)"
        case .op(let op): return op
        case .eof: return "end of template"
        }
    }

    func isName(_ name: String) -> Bool {
        if case .name(let value) = kind { return value == name }
        return false
    }

    func isOp(_ op: String) -> Bool {
        if case .op(let value) = kind { return value == op }
        return false
    }

    var nameValue: String? {
        if case .name(let value) = kind { return value }
        return nil
    }
}
