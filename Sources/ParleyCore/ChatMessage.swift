/// Who wrote a message.
public enum ChatRole: String, Sendable, Codable, Hashable, CaseIterable {
    case system
    case developer
    case user
    case assistant
    case tool
}

/// One part of a multi-part message.
public enum ContentPart: Sendable, Hashable {
    case text(String)
    /// An image by URL (`https://...` or a `data:` URL); `detail` is OpenAI's `auto | low | high`.
    case imageURL(url: String, detail: String?)
}

/// The content of a message: plain text, or parts (text and images).
public enum MessageContent: Sendable, Hashable {
    case text(String)
    case parts([ContentPart])

    /// The text of the message, parts joined; images are left out.
    public var text: String {
        switch self {
        case .text(let text): return text
        case .parts(let parts):
            return parts.compactMap { part -> String? in
                if case .text(let text) = part { return text }
                return nil
            }.joined(separator: "\n")
        }
    }

    /// URLs of the images in the message, in order.
    public var imageURLs: [String] {
        guard case .parts(let parts) = self else { return [] }
        return parts.compactMap { part -> String? in
            if case .imageURL(let url, _) = part { return url }
            return nil
        }
    }
}

/// A function call the model asked for.
public struct ToolCall: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// The arguments as a JSON text, exactly as the model wrote them.
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// One message of a conversation.
public struct ChatMessage: Sendable, Hashable {
    public var role: ChatRole
    public var content: MessageContent?
    public var name: String?
    /// Calls made by an assistant message.
    public var toolCalls: [ToolCall]
    /// For a `tool` message: the call it answers.
    public var toolCallID: String?

    public init(
        role: ChatRole,
        content: MessageContent?,
        name: String? = nil,
        toolCalls: [ToolCall] = [],
        toolCallID: String? = nil
    ) {
        self.role = role
        self.content = content
        self.name = name
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: .text(text)) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: .text(text)) }
    public static func assistant(_ text: String) -> ChatMessage { ChatMessage(role: .assistant, content: .text(text)) }
}
