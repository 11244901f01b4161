import ParleyCore

/// One conversation of ChatGPT's data export (`conversations.json` is an array of them): a tree of nodes
/// keyed by node id, each holding a message or nothing. Only the fields Parley uses are read, and nearly
/// all may be missing or null, as they are in older exports.
struct ChatGPTConversation: Decodable {
    var id: String?
    var conversationID: String?
    var title: String?
    var createTime: Double?
    var updateTime: Double?
    var mapping: [String: Node]
    var currentNode: String?

    enum CodingKeys: String, CodingKey {
        case id, title, mapping
        case conversationID = "conversation_id"
        case createTime = "create_time"
        case updateTime = "update_time"
        case currentNode = "current_node"
    }

    struct Node: Decodable {
        var message: Message?
        var parent: String?
        var children: [String]?
    }

    struct Message: Decodable {
        var author: Author?
        var createTime: Double?
        var content: Content?
        var status: String?
        /// `all` for a message to the user; a tool's name (`python`, `browser`) for a call to that tool.
        var recipient: String?
        var metadata: Metadata?

        enum CodingKeys: String, CodingKey {
            case author, content, status, recipient, metadata
            case createTime = "create_time"
        }
    }

    struct Author: Decodable {
        var role: String
        var name: String?
    }

    struct Content: Decodable {
        var contentType: String?
        var parts: [JSONValue]?
        var text: String?
        var language: String?
        var title: String?
        var url: String?

        enum CodingKeys: String, CodingKey {
            case parts, text, language, title, url
            case contentType = "content_type"
        }
    }

    struct Metadata: Decodable {
        var modelSlug: String?
        var isHidden: Bool?

        enum CodingKeys: String, CodingKey {
            case modelSlug = "model_slug"
            case isHidden = "is_visually_hidden_from_conversation"
        }
    }
}
