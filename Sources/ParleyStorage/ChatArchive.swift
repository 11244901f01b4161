import ParleyCore

/// A chat as a portable document: its title, settings, tags, times, the active branch and every message
/// of its tree. It holds no user ids and no secrets, so it can be downloaded, kept and imported elsewhere.
///
/// Message ids are those of the source (a Parley export, a ChatGPT conversation); importing gives every
/// message a new id and keeps the tree.
public struct ChatArchive: Sendable, Hashable {
    /// The chat's id where it came from (a Parley chat id, a ChatGPT conversation id), if known.
    public var sourceID: String?
    public var title: String
    public var settings: ChatSettings
    public var tags: [String]
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    /// The id (in `messages`) of the last message of the branch the chat shows; nil for the last message.
    public var activeLeafID: String?
    /// Every message of the tree. Parents usually come before their children; import does not rely on it.
    public var messages: [Message]

    public init(
        sourceID: String? = nil, title: String, settings: ChatSettings = ChatSettings(), tags: [String] = [],
        createdAt: Timestamp, updatedAt: Timestamp, activeLeafID: String? = nil, messages: [Message]
    ) {
        self.sourceID = sourceID
        self.title = title
        self.settings = settings
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.activeLeafID = activeLeafID
        self.messages = messages
    }

    /// A stored chat and its whole message tree, with secrets left out of every parameter set.
    public init(chat: ChatRecord, tree: MessageTree) {
        var settings = chat.settings
        settings.parameters = SecretRedaction.redacted(settings.parameters)
        self.init(
            sourceID: chat.id, title: chat.title, settings: settings, tags: chat.tags, createdAt: chat.createdAt,
            updatedAt: chat.updatedAt, activeLeafID: chat.activeLeafID,
            messages: tree.messages.map(Message.init(record:)))
    }

    /// The messages from the root to the active leaf (or to the last message when there is none).
    public func activeBranch() -> [Message] {
        guard !messages.isEmpty else { return [] }
        var indexByID: [String: Int] = [:]
        indexByID.reserveCapacity(messages.count)
        for (index, message) in messages.enumerated() { indexByID[message.id] = index }
        var current = activeLeafID.flatMap { indexByID[$0] } ?? (messages.count - 1)
        var path: [Int] = []
        // The guard stops on a malformed tree (a cycle) instead of looping.
        var seen = Set<Int>()
        while seen.insert(current).inserted {
            path.append(current)
            guard let parent = messages[current].parentID, let parentIndex = indexByID[parent] else { break }
            current = parentIndex
        }
        return path.reversed().map { messages[$0] }
    }
}
