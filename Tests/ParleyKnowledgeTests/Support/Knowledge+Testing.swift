import Foundation
import ParleyCore
import ParleyKnowledge
import ParleyStorage
import ParleyStorageTesting

/// A knowledge base on `store` whose worker is drained by hand, with loopback allowed for local servers.
func makeKnowledge(
    _ store: Store, embedder: (any TextEmbedder)? = LexicalEmbedder(),
    configure: (inout KnowledgeSettings) -> Void = { _ in }
) -> KnowledgeBase {
    var settings = KnowledgeSettings()
    settings.allowNetworks = [IPNetwork("127.0.0.0/8")!, IPNetwork("::1")!]
    configure(&settings)
    return KnowledgeBase(store: store, settings: settings, embedder: embedder, logger: TestDatabase.logger)
}

extension KnowledgeBase {
    /// Runs every queued job now.
    func ingestAll() async throws {
        try await worker(logger: TestDatabase.logger).drain()
    }
}

/// Shuts the knowledge base's client down after `body`.
func withKnowledge(
    _ store: Store, embedder: (any TextEmbedder)? = LexicalEmbedder(),
    configure: (inout KnowledgeSettings) -> Void = { _ in },
    _ body: (KnowledgeBase) async throws -> Void
) async throws {
    let knowledge = makeKnowledge(store, embedder: embedder, configure: configure)
    do {
        try await body(knowledge)
    } catch {
        try? await knowledge.shutdown()
        throw error
    }
    try await knowledge.shutdown()
}

/// Runs `body` on a fresh database of `backend` with a knowledge base, a user (alice) and a collection of
/// hers named `name`.
func withCollection(
    _ backend: TestBackend, named name: String = "Docs", configure: (inout KnowledgeSettings) -> Void = { _ in },
    _ body: (Store, KnowledgeBase, UserRecord, CollectionRecord) async throws -> Void
) async throws {
    try await withStore(backend) { store in
        try await withKnowledge(store, configure: configure) { knowledge in
            let alice = try await store.createUser(username: "alice")
            let collection = try await store.createCollection(ownerID: alice.id, name: name)
            try await body(store, knowledge, alice, collection)
        }
    }
}

extension NewDocument {
    /// An upload of `text` named `name`.
    static func upload(_ name: String, _ text: String, type: String? = nil) -> NewDocument {
        upload(name, Array(text.utf8), type: type)
    }

    static func upload(_ name: String, _ bytes: [UInt8], type: String? = nil) -> NewDocument {
        NewDocument(
            sourceKind: "upload", source: name, title: name, contentType: type, content: bytes,
            contentHash: ContentHash.hex(of: bytes))
    }
}
