import Foundation
import ParleyCore

extension ChatArchive {
    /// The `format` of Parley's chat export.
    public static let parleyFormat = "parley.chat"
    /// The newest export version this build writes and reads.
    public static let parleyVersion = 1

    /// Parley's chat export: `{"format": "parley.chat", "version": 1, "exported_at": ..., "chat": {...},
    /// "messages": [...]}`, messages oldest first. Secrets are left out of every parameter set.
    public func parleyJSON(exportedAt: Timestamp = .now()) -> Data {
        let document = ParleyArchiveDocument(archive: self, exportedAt: exportedAt)
        let encoder = JSONEncoder()
        // Sorted keys: the same chat exports to the same bytes, so exports diff cleanly.
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // JSON has no infinities; written as strings, nothing is left that can fail to encode.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return (try? encoder.encode(document)) ?? Data()
    }

    /// Reads Parley's chat export and checks its tree.
    ///
    /// - Throws: `ParleyError.badRequest` for a file that is not an export this build reads (other format,
    ///   newer version, a field of the wrong type or missing, an unknown role or status),
    ///   `ParleyError.unprocessable` for a tree that is not one; both name the field (`messages[3].parent_id`).
    public init(parleyJSON data: Data) throws {
        let document: ParleyArchiveDocument
        do {
            document = try JSONDecoder().decode(ParleyArchiveDocument.self, from: data)
        } catch let error as DecodingError {
            throw error.parleyError(document: "a Parley chat export (a JSON object with \"format\": \"parley.chat\")")
        }
        self = document.archive
        _ = try validatedInsertionOrder()
    }
}

/// The JSON form of a chat export; the chat's fields sit apart from its messages.
struct ParleyArchiveDocument: Codable {
    var exportedAt: Timestamp
    var chat: Chat
    var messages: [ChatArchive.Message]

    struct Chat: Codable {
        var id: String?
        var title: String
        var settings: ChatSettings?
        var tags: [String]?
        var createdAt: Timestamp?
        var updatedAt: Timestamp?
        var activeLeafID: String?

        enum CodingKeys: String, CodingKey {
            case id, title, settings, tags
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case activeLeafID = "active_leaf_id"
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, version, chat, messages
        case exportedAt = "exported_at"
    }

    init(archive: ChatArchive, exportedAt: Timestamp) {
        var settings = archive.settings
        settings.parameters = SecretRedaction.redacted(settings.parameters)
        self.exportedAt = exportedAt
        chat = Chat(
            id: archive.sourceID, title: archive.title, settings: settings, tags: archive.tags,
            createdAt: archive.createdAt, updatedAt: archive.updatedAt, activeLeafID: archive.activeLeafID)
        messages = archive.messages
    }

    var archive: ChatArchive {
        let times = messages.map(\.createdAt)
        let created = chat.createdAt ?? times.min() ?? exportedAt
        return ChatArchive(
            sourceID: chat.id, title: chat.title, settings: chat.settings ?? ChatSettings(), tags: chat.tags ?? [],
            createdAt: created, updatedAt: chat.updatedAt ?? max(created, times.max() ?? created),
            activeLeafID: chat.activeLeafID, messages: messages)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // Format and version first: a file from elsewhere should be told so, not which field it lacks.
        let format = try container.decode(String.self, forKey: .format)
        guard format == ChatArchive.parleyFormat else {
            throw DecodingError.dataCorruptedError(
                forKey: .format, in: container,
                debugDescription: "expected '\(ChatArchive.parleyFormat)', not '\(format)'")
        }
        let version = try container.decode(Int.self, forKey: .version)
        guard (1...ChatArchive.parleyVersion).contains(version) else {
            throw DecodingError.dataCorruptedError(
                forKey: .version, in: container,
                debugDescription: "this server reads versions 1 to \(ChatArchive.parleyVersion), not \(version)")
        }
        exportedAt = try container.decodeIfPresent(Timestamp.self, forKey: .exportedAt) ?? .now()
        chat = try container.decode(Chat.self, forKey: .chat)
        messages = try container.decode([ChatArchive.Message].self, forKey: .messages)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ChatArchive.parleyFormat, forKey: .format)
        try container.encode(ChatArchive.parleyVersion, forKey: .version)
        try container.encode(exportedAt, forKey: .exportedAt)
        try container.encode(chat, forKey: .chat)
        try container.encode(messages, forKey: .messages)
    }
}
