import Foundation
import ParleyCore
import SQLKit

extension Store {
    /// Sets the collections attached to a chat (searched on every turn), replacing the ones it had. The
    /// user must be a member of the chat and able to read every collection.
    public func setChatCollections(chatID: String, userID: String, collectionIDs: [String]) async throws
        -> [CollectionRecord]
    {
        _ = try await chat(id: chatID, userID: userID)
        let collections = try await readableCollections(ids: collectionIDs, userID: userID)
        try await setAttachments(chatID: chatID, messageID: "", collectionIDs: collections.map(\.id))
        return collections
    }

    /// The collections attached to a chat that the user can still read.
    public func chatCollections(chatID: String, userID: String) async throws -> [CollectionRecord] {
        _ = try await chat(id: chatID, userID: userID)
        return try await attachedCollections(chatID: chatID, messageID: "", userID: userID)
    }

    /// Attaches collections to one message (searched for that turn only).
    public func setMessageCollections(chatID: String, messageID: String, collectionIDs: [String]) async throws {
        try await setAttachments(chatID: chatID, messageID: messageID, collectionIDs: collectionIDs)
    }

    /// The collections attached to one message that the user can still read.
    public func messageCollections(chatID: String, messageID: String, userID: String) async throws -> [CollectionRecord]
    {
        try await attachedCollections(chatID: chatID, messageID: messageID, userID: userID)
    }

    private func setAttachments(chatID: String, messageID: String, collectionIDs: [String]) async throws {
        let now = Clock.nowMilliseconds()
        try await database.transaction { database in
            let sql = database as! any SQLDatabase
            try await sql.raw(
                "DELETE FROM knowledge_attachments WHERE chat_id = \(bind: chatID) AND message_id = \(bind: messageID)"
            ).run()
            for id in collectionIDs {
                try await sql.raw(
                    """
                    INSERT INTO knowledge_attachments (chat_id, message_id, collection_id, created_ms)
                    VALUES (\(bind: chatID), \(bind: messageID), \(bind: id), \(bind: now))
                    """
                ).run()
            }
        }
    }

    private func attachedCollections(chatID: String, messageID: String, userID: String) async throws
        -> [CollectionRecord]
    {
        try await sql.raw(
            """
            SELECT \(unsafeRaw: Self.collectionColumns) FROM knowledge_attachments a
            JOIN knowledge_collections c ON c.id = a.collection_id
            WHERE a.chat_id = \(bind: chatID) AND a.message_id = \(bind: messageID) AND c.deleted_ms IS NULL
                AND (c.owner_id = \(bind: userID) OR c.shared = \(bind: true))
            ORDER BY a.created_ms, c.id
            """
        ).all().map(CollectionRecord.init(row:))
    }
}
