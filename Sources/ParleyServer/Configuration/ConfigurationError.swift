/// A configuration that cannot be used: names the file (or source), the key and what is wrong.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let source: String
    public let key: String?
    public let problem: String

    public init(source: String, key: String?, problem: String) {
        self.source = source
        self.key = key
        self.problem = problem
    }

    public var description: String {
        if let key { return "\(source): \(key): \(problem)" }
        return "\(source): \(problem)"
    }
}
