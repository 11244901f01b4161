/// Why a chat template could not be parsed or rendered.
///
/// The message names the problem, and where it is known, the line and column in the template.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    fileprivate enum Code: Hashable, Sendable {
        case syntax
        case unsupported
        case undefined
        case type
        case raised
        case invalidJSON
        case runtime
    }

    /// What kind of failure this is, for callers that react differently to each.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        fileprivate let code: Code

        /// The template text is not valid Jinja.
        public static let syntax = Kind(code: .syntax)
        /// Valid Jinja that this renderer does not implement (`include`, `extends`, ...).
        public static let unsupported = Kind(code: .unsupported)
        /// An undefined value was used where a value is needed (`missing.attr`, `missing + 1`).
        public static let undefined = Kind(code: .undefined)
        /// An operation on values of the wrong type (`'a' + 1`).
        public static let type = Kind(code: .type)
        /// The template itself refused the input through `raise_exception(message)`.
        public static let raised = Kind(code: .raised)
        /// A text handed over as JSON was not JSON.
        public static let invalidJSON = Kind(code: .invalidJSON)
        /// Any other failure while rendering (a sandbox refusal, a division by zero, ...).
        public static let runtime = Kind(code: .runtime)

        public var description: String {
            switch code {
            case .syntax: return "syntax error"
            case .unsupported: return "unsupported"
            case .undefined: return "undefined"
            case .type: return "type error"
            case .raised: return "raised by template"
            case .invalidJSON: return "invalid JSON"
            case .runtime: return "runtime error"
            }
        }
    }

    private let code: Code
    /// What went wrong. For `raise_exception`, exactly the template's message.
    public let message: String
    /// 1-based position in the template, where known.
    public let line: Int?
    public let column: Int?

    private init(_ code: Code, _ message: String, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
    }

    public var kind: Kind { Kind(code: code) }

    public static func syntax(_ message: String, line: Int, column: Int) -> TemplateError {
        TemplateError(.syntax, message, line: line, column: column)
    }
    public static func unsupported(_ message: String, line: Int? = nil, column: Int? = nil) -> TemplateError {
        TemplateError(.unsupported, message, line: line, column: column)
    }
    public static func undefined(_ message: String) -> TemplateError { TemplateError(.undefined, message) }
    public static func type(_ message: String) -> TemplateError { TemplateError(.type, message) }
    public static func raised(_ message: String) -> TemplateError { TemplateError(.raised, message) }
    public static func invalidJSON(_ message: String) -> TemplateError { TemplateError(.invalidJSON, message) }
    public static func runtime(_ message: String) -> TemplateError { TemplateError(.runtime, message) }

    /// The same error, placed at a line of the template (for errors raised while rendering).
    func located(line: Int) -> TemplateError {
        guard self.line == nil else { return self }
        return TemplateError(code, message, line: line, column: column)
    }

    public var description: String {
        var text = "chat template \(kind)"
        if let line {
            text += " at line \(line)"
            if let column { text += ", column \(column)" }
        }
        return text + ": " + message
    }
}
