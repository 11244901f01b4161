import Foundation

/// A reusable prompt; `{{name}}` in its body is a variable filled in before use.
public struct PromptRecord: Sendable, Hashable, Codable {
    public var id: String
    public var ownerID: String
    public var title: String
    public var body: String
    /// Shared prompts are readable by every user; only the owner changes them.
    public var shared: Bool
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    /// The variables of the body, in order of first appearance.
    public var variables: [String] { PromptTemplate.variables(in: body) }

    enum CodingKeys: String, CodingKey {
        case id, title, body, shared, variables
        case ownerID = "owner_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: String, ownerID: String, title: String, body: String, shared: Bool, createdAt: Timestamp,
        updatedAt: Timestamp
    ) {
        self.id = id
        self.ownerID = ownerID
        self.title = title
        self.body = body
        self.shared = shared
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        ownerID = try container.decode(String.self, forKey: .ownerID)
        title = try container.decode(String.self, forKey: .title)
        body = try container.decode(String.self, forKey: .body)
        shared = try container.decode(Bool.self, forKey: .shared)
        createdAt = try container.decode(Timestamp.self, forKey: .createdAt)
        updatedAt = try container.decode(Timestamp.self, forKey: .updatedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(ownerID, forKey: .ownerID)
        try container.encode(title, forKey: .title)
        try container.encode(body, forKey: .body)
        try container.encode(shared, forKey: .shared)
        try container.encode(variables, forKey: .variables)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// `{{variable}}` templates of prompts.
public enum PromptTemplate {
    /// The names between `{{` and `}}`, trimmed, each once, in order.
    public static func variables(in body: String) -> [String] {
        var names: [String] = []
        var rest = body[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty, !names.contains(name) { names.append(name) }
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// The body with each `{{variable}}` replaced by its value; unknown variables are left as written.
    public static func render(_ body: String, values: [String: String]) -> String {
        var output = ""
        var rest = body[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            output += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            output += values[name] ?? String(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        return output + rest
    }
}
