/// A knowledge collection: documents a user gathered to ground answers in. Shared collections can be
/// searched and attached by every user; only the owner changes them.
public struct CollectionRecord: Sendable, Hashable, Codable {
    public var id: String
    public var ownerID: String
    public var name: String
    public var description: String
    public var shared: Bool
    /// The model the collection's vectors were made with (nil until the first document is indexed).
    public var embeddingModel: String?
    public var documentCount: Int
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, name, description, shared
        case ownerID = "owner_id"
        case embeddingModel = "embedding_model"
        case documentCount = "document_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
