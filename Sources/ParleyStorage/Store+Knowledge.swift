import Foundation
import ParleyCore
import SQLKit

extension Store {
    static let collectionColumns = """
        c.id, c.owner_id, c.name, c.description, c.shared, c.embedding_model, c.created_ms, c.updated_ms,
        (SELECT COUNT(*) FROM knowledge_documents d WHERE d.collection_id = c.id AND d.deleted_ms IS NULL) AS document_count
        """

    /// Creates a collection; names are unique among the owner's live collections (409).
    public func createCollection(ownerID: String, name: String, description: String = "", shared: Bool = false)
        async throws -> CollectionRecord
    {
        let name = try Self.validCollectionName(name)
        let key = name.lowercased()
        let existing = try await sql.raw(
            """
            SELECT id FROM knowledge_collections
            WHERE owner_id = \(bind: ownerID) AND name_key = \(bind: key) AND deleted_ms IS NULL
            """
        ).first()
        guard existing == nil else {
            throw ParleyError.conflict("you already have a collection named '\(name)'", param: "name")
        }
        let now = Clock.nowMilliseconds()
        let id = Identifier.make(at: now)
        try await sql.raw(
            """
            INSERT INTO knowledge_collections (id, owner_id, name, name_key, description, shared, created_ms, updated_ms)
            VALUES (\(bind: id), \(bind: ownerID), \(bind: name), \(bind: key), \(bind: description), \(bind: shared),
                \(bind: now), \(bind: now))
            """
        ).run()
        return try await collection(id: id, userID: ownerID)
    }

    /// The user's own collections and those shared with everyone, by name.
    public func collections(userID: String) async throws -> [CollectionRecord] {
        try await sql.raw(
            """
            SELECT \(unsafeRaw: Self.collectionColumns) FROM knowledge_collections c
            WHERE c.deleted_ms IS NULL AND (c.owner_id = \(bind: userID) OR c.shared = \(bind: true))
            ORDER BY c.name_key, c.id
            """
        ).all().map(CollectionRecord.init(row:))
    }

    /// A collection the user may read (own or shared); 404 otherwise.
    public func collection(id: String, userID: String) async throws -> CollectionRecord {
        let row = try await sql.raw(
            """
            SELECT \(unsafeRaw: Self.collectionColumns) FROM knowledge_collections c
            WHERE c.id = \(bind: id) AND c.deleted_ms IS NULL AND (c.owner_id = \(bind: userID) OR c.shared = \(bind: true))
            """
        ).first()
        guard let row else { throw ParleyError.notFound("no collection with id '\(id)'") }
        return try CollectionRecord(row: row)
    }

    /// A collection found by id or by the user's own name for it (the CLI names collections).
    public func collection(named name: String, userID: String) async throws -> CollectionRecord? {
        let row = try await sql.raw(
            """
            SELECT \(unsafeRaw: Self.collectionColumns) FROM knowledge_collections c
            WHERE c.owner_id = \(bind: userID) AND c.name_key = \(bind: name.lowercased()) AND c.deleted_ms IS NULL
            """
        ).first()
        return try row.map(CollectionRecord.init(row:))
    }

    /// A collection the user owns: 404 when they cannot see it, 403 when it is someone else's shared one.
    public func ownedCollection(id: String, userID: String) async throws -> CollectionRecord {
        let collection = try await collection(id: id, userID: userID)
        guard collection.ownerID == userID else {
            throw ParleyError.forbidden("only the owner can change this collection")
        }
        return collection
    }

    public func updateCollection(
        id: String, userID: String, name: String? = nil, description: String? = nil, shared: Bool? = nil
    ) async throws -> CollectionRecord {
        let current = try await ownedCollection(id: id, userID: userID)
        let newName = try name.map(Self.validCollectionName) ?? current.name
        if newName.lowercased() != current.name.lowercased(),
            try await self.collection(named: newName, userID: userID) != nil
        {
            throw ParleyError.conflict("you already have a collection named '\(newName)'", param: "name")
        }
        try await sql.raw(
            """
            UPDATE knowledge_collections SET name = \(bind: newName), name_key = \(bind: newName.lowercased()),
                description = \(bind: description ?? current.description), shared = \(bind: shared ?? current.shared),
                updated_ms = \(bind: Clock.nowMilliseconds())
            WHERE id = \(bind: id)
            """
        ).run()
        return try await collection(id: id, userID: userID)
    }

    /// Deletes a collection: its chunks go, its documents and the collection are kept as deleted, its
    /// pending jobs end.
    public func deleteCollection(id: String, userID: String) async throws {
        _ = try await ownedCollection(id: id, userID: userID)
        let now = Clock.nowMilliseconds()
        try await database.transaction { database in
            let sql = database as! any SQLDatabase
            try await sql.raw("DELETE FROM knowledge_chunks WHERE collection_id = \(bind: id)").run()
            try await sql.raw(
                """
                UPDATE knowledge_jobs SET status = 'done', updated_ms = \(bind: now)
                WHERE status IN ('queued', 'running') AND document_id IN (
                    SELECT id FROM knowledge_documents WHERE collection_id = \(bind: id))
                """
            ).run()
            try await sql.raw(
                """
                DELETE FROM knowledge_uploads WHERE document_id IN (
                    SELECT id FROM knowledge_documents WHERE collection_id = \(bind: id))
                """
            ).run()
            try await sql.raw(
                """
                UPDATE knowledge_documents SET deleted_ms = \(bind: now)
                WHERE collection_id = \(bind: id) AND deleted_ms IS NULL
                """
            ).run()
            try await sql.raw(
                """
                UPDATE knowledge_collections SET deleted_ms = \(bind: now), version = version + 1
                WHERE id = \(bind: id)
                """
            ).run()
            try await sql.raw("DELETE FROM knowledge_attachments WHERE collection_id = \(bind: id)").run()
        }
    }

    /// The collections among `ids` that the user may read, in the order given; 404 for any other.
    public func readableCollections(ids: [String], userID: String) async throws -> [CollectionRecord] {
        var found: [CollectionRecord] = []
        for id in ids where !found.contains(where: { $0.id == id }) {
            found.append(try await collection(id: id, userID: userID))
        }
        return found
    }

    /// Each collection's version, which moves on with every change to its chunks (for the vector index).
    public func collectionVersions(ids: [String]) async throws -> [String: Int64] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.raw(
            """
            SELECT id, version FROM knowledge_collections
            WHERE id IN (\(binds: ids))
            """
        ).all()
        var versions: [String: Int64] = [:]
        for row in rows { versions[try row.string("id")] = try row.int64("version") }
        return versions
    }

    static func validCollectionName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else {
            throw ParleyError.badRequest("name: must be 1 to 200 characters", param: "name")
        }
        return trimmed
    }
}

extension CollectionRecord {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.string("id"), ownerID: try row.string("owner_id"), name: try row.string("name"),
            description: try row.string("description"), shared: try row.bool("shared"),
            embeddingModel: try row.optionalString("embedding_model"),
            documentCount: Int(try row.int64("document_count")), createdAt: try row.timestamp("created_ms"),
            updatedAt: try row.timestamp("updated_ms"))
    }
}
