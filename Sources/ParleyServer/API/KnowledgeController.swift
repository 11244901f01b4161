import Foundation
import Hummingbird
import ParleyCore
import ParleyKnowledge
import ParleyStorage

/// `/api/v1/collections`: knowledge collections, their documents (URLs, uploads, text) and search; and
/// `/api/v1/chats/{id}/collections`, the collections a chat answers from.
struct KnowledgeController {
    let store: Store
    let knowledge: KnowledgeBase
    let maxBodySize: Int

    func addRoutes(to group: RouterGroup<ParleyRequestContext>) {
        group.get("collections", use: list)
        group.post("collections", use: create)
        group.get("collections/:id", use: get)
        group.patch("collections/:id", use: update)
        group.delete("collections/:id", use: delete)
        group.get("collections/:id/documents", use: documents)
        group.post("collections/:id/documents", use: addDocument)
        group.get("collections/:id/documents/:document_id", use: document)
        group.delete("collections/:id/documents/:document_id", use: deleteDocument)
        group.post("collections/:id/search", use: search)
        group.get("chats/:id/collections", use: chatCollections)
        group.put("chats/:id/collections", use: setChatCollections)
    }

    @Sendable func list(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        return try JSONResponse.make(Page(items: try await store.collections(userID: user.id), nextCursor: nil))
    }

    @Sendable func create(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(
            &request, limit: maxBodySize, allowed: ["name", "description", "shared"])
        let collection = try await store.createCollection(
            ownerID: user.id, name: try body.requiredString("name"), description: try body.string("description") ?? "",
            shared: try body.bool("shared") ?? false)
        return try JSONResponse.make(collection, status: .created)
    }

    @Sendable func get(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        return try JSONResponse.make(try await store.collection(id: try APIRequest.id(context), userID: user.id))
    }

    @Sendable func update(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(
            &request, limit: maxBodySize, allowed: ["name", "description", "shared"])
        return try JSONResponse.make(
            try await store.updateCollection(
                id: try APIRequest.id(context), userID: user.id, name: try body.string("name"),
                description: try body.string("description"), shared: try body.bool("shared")))
    }

    @Sendable func delete(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try APIRequest.id(context)
        try await store.deleteCollection(id: id, userID: user.id)
        knowledge.index.drop(id)
        return Response(status: .noContent)
    }

    @Sendable func documents(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        return try JSONResponse.make(
            Page(
                items: try await store.documents(collectionID: try APIRequest.id(context), userID: user.id),
                nextCursor: nil))
    }

    @Sendable func document(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        return try JSONResponse.make(
            try await store.document(
                id: try APIRequest.id(context, "document_id"), collectionID: try APIRequest.id(context), userID: user.id
            ))
    }

    @Sendable func deleteDocument(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let collectionID = try APIRequest.id(context)
        try await store.deleteDocument(
            id: try APIRequest.id(context, "document_id"), collectionID: collectionID, userID: user.id)
        knowledge.index.drop(collectionID)
        return Response(status: .noContent)
    }

    /// A URL (`{"url"}`), text (`{"text", "title"}`), a multipart upload (field `file`, optional `title`), or
    /// the file itself as the body (`?filename=`). 202 when ingestion was queued; 200 when the collection
    /// already had this content. A file over `knowledge.max_document_size` is not ingested: it is recorded as
    /// failed with the reason, 201 for a new document, 200 for one the collection had (which keeps its
    /// chunks, the failure as its refresh error).
    @Sendable func addDocument(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let collectionID = try APIRequest.id(context)
        _ = try await store.ownedCollection(id: collectionID, userID: user.id)
        var request = request
        let contentType = request.headers[.contentType] ?? ""
        let document: NewDocument
        if contentType.lowercased().hasPrefix("application/json") {
            let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: ["url", "text", "title"])
            if let url = try body.string("url") {
                guard try body.string("text") == nil else { throw body.fail("text", "give a url or a text, not both") }
                guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), parsed.host != nil,
                    scheme == "http" || scheme == "https"
                else { throw body.fail("url", "expected an http or https URL") }
                document = NewDocument(sourceKind: "url", source: url, title: try body.string("title") ?? url)
            } else if let text = try body.string("text") {
                guard !text.isEmpty else { throw body.fail("text", "must not be empty") }
                let bytes = Array(text.utf8)
                let title = try body.string("title") ?? Self.title(of: text)
                document = NewDocument(
                    sourceKind: "text", source: title, title: title, contentType: "text/markdown", content: bytes,
                    contentHash: ContentHash.hex(of: bytes))
            } else {
                throw body.fail("url", "give a url, a text, or upload a file")
            }
        } else {
            switch try await upload(request, contentType: contentType) {
            case .file(let file):
                document = file
            case .refused(let file, let size, let reason):
                let (stored, created) = try await store.addRefusedDocument(
                    collectionID: collectionID, userID: user.id, file, sizeBytes: size, reason: reason)
                return try JSONResponse.make(stored, status: created ? .created : .ok)
            }
        }
        let (stored, queued) = try await store.addDocument(collectionID: collectionID, userID: user.id, document)
        return try JSONResponse.make(stored, status: queued ? .accepted : .ok)
    }

    struct SearchResult: Encodable {
        var score: Double
        var documentID: String
        var collectionID: String
        var title: String
        var url: String?
        var page: Int?
        var row: Int?
        var heading: String?
        var text: String
        var fullTextRank: Int?
        var vectorRank: Int?

        enum CodingKeys: String, CodingKey {
            case score, title, url, page, row, heading, text
            case documentID = "document_id"
            case collectionID = "collection_id"
            case fullTextRank = "full_text_rank"
            case vectorRank = "vector_rank"
        }
    }

    @Sendable func search(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(
            &request, limit: maxBodySize, allowed: ["query", "top_k", "min_score", "mode"])
        let collection = try await store.collection(id: try APIRequest.id(context), userID: user.id)
        let query = try body.requiredString("query")
        var options = Retriever.Options(topK: knowledge.settings.topK, minScore: knowledge.settings.minScore)
        if let topK = try body.integer("top_k", in: 1...100) { options.topK = topK }
        if let minScore = try body.number("min_score", in: 0...1) { options.minScore = minScore }
        if let mode = try body.string("mode") {
            guard let parsed = Retriever.Mode(rawValue: mode) else {
                throw body.fail("mode", "expected hybrid, full_text or vector")
            }
            options.mode = parsed
        }
        let results = try await knowledge.search(query, in: [collection], options: options)
        return try JSONResponse.make(
            Page(
                items: results.map {
                    SearchResult(
                        score: $0.score, documentID: $0.chunk.documentID, collectionID: $0.chunk.collectionID,
                        title: $0.chunk.title, url: $0.chunk.url, page: $0.chunk.page, row: $0.chunk.row,
                        heading: $0.chunk.heading, text: $0.chunk.text, fullTextRank: $0.fullTextRank,
                        vectorRank: $0.vectorRank)
                }, nextCursor: nil))
    }

    @Sendable func chatCollections(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        return try JSONResponse.make(
            Page(
                items: try await store.chatCollections(chatID: try APIRequest.id(context), userID: user.id),
                nextCursor: nil))
    }

    @Sendable func setChatCollections(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: ["collection_ids"])
        guard let ids = try body.strings("collection_ids") else { throw body.fail("collection_ids", "is required") }
        let collections = try await store.setChatCollections(
            chatID: try APIRequest.id(context), userID: user.id, collectionIDs: ids)
        return try JSONResponse.make(Page(items: collections, nextCursor: nil))
    }

    static func title(of text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        let trimmed = line.trimmingCharacters(in: CharacterSet(charactersIn: "# ")).trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? "Text" : String(trimmed.prefix(80))
    }
}
