import Foundation
import Hummingbird
import ParleyCore
import ParleyKnowledge
import ParleyProviders
import ParleyStorage

/// `/api/v1/chats/{id}/messages`: send a message and stream the reply, regenerate a reply, edit a
/// message and resend it. Replies are stored as they stream.
struct MessagesController {
    let store: Store
    let router: ModelRouter
    let knowledge: KnowledgeBase
    let maxBodySize: Int

    func addRoutes(to group: RouterGroup<ParleyRequestContext>) {
        group.post("chats/:id/messages", use: send)
        group.get("chats/:id/messages/:message_id", use: get)
        group.post("chats/:id/messages/:message_id/regenerate", use: regenerate)
        group.post("chats/:id/messages/:message_id/edit", use: edit)
    }

    @Sendable func send(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(
            &request, limit: maxBodySize,
            allowed: ["content", "parent_id", "model", "parameters", "stream", "collection_ids"])
        // Every field is read before anything is stored: a bad one must leave the chat as it was.
        let stream = try body.bool("stream") ?? true
        let chat = try await store.chat(id: try APIRequest.id(context), userID: user.id)
        let collections = try await store.readableCollections(ids: try body.strings("collection_ids") ?? [], userID: user.id)
        let (content, parts) = try Self.content(body)
        let turn = try await ChatTurn.prepare(
            store: store, router: router, user: user, chat: chat, model: try body.string("model"),
            parameters: try body.dictionary("parameters"))
        try context.requireModel(turn.route, requested: turn.route.id)
        let tally = try await context.beginUsage()
        let message = try await store.addMessage(
            NewMessage(
                chatID: chat.id, parentID: try body.string("parent_id") ?? chat.activeLeafID, authorID: user.id,
                role: .user, content: content, parts: parts))
        if !collections.isEmpty {
            try await store.setMessageCollections(chatID: chat.id, messageID: message.id, collectionIDs: collections.map(\.id))
        }
        if chat.messageCount == 0, chat.title == "New chat" {
            _ = try await store.updateChat(id: chat.id, userID: user.id, ChatChanges(title: Self.title(from: content)))
        }
        return try await reply(
            to: message, turn: turn, tally: tally, user: user, action: "message.send", echo: [message], stream: stream,
            detail: ["content": .string(content)])
    }

    @Sendable func get(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let chat = try await store.chat(id: try APIRequest.id(context), userID: user.id)
        return try JSONResponse.make(try await store.message(id: try APIRequest.id(context, "message_id"), chatID: chat.id))
    }

    /// A new reply beside an assistant message (a sibling), or a new reply to a user message.
    @Sendable func regenerate(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: ["model", "parameters", "stream"])
        let stream = try body.bool("stream") ?? true
        let chat = try await store.chat(id: try APIRequest.id(context), userID: user.id)
        let target = try await store.message(id: try APIRequest.id(context, "message_id"), chatID: chat.id)
        let prompt: MessageRecord
        switch target.role {
        case .assistant:
            guard let parentID = target.parentID else {
                throw ParleyError.unprocessable("this reply has no message before it to answer")
            }
            prompt = try await store.message(id: parentID, chatID: chat.id)
        case .user: prompt = target
        default: throw ParleyError.unprocessable("only replies and user messages can be regenerated, not \(target.role.rawValue) messages")
        }
        let turn = try await ChatTurn.prepare(
            store: store, router: router, user: user, chat: chat, model: try body.string("model") ?? target.model,
            parameters: try body.dictionary("parameters"))
        try context.requireModel(turn.route, requested: turn.route.id)
        let tally = try await context.beginUsage()
        return try await reply(
            to: prompt, turn: turn, tally: tally, user: user, action: "message.regenerate", echo: [], stream: stream,
            detail: ["message_id": .string(target.id)])
    }

    /// A user message edited: the new text becomes a sibling (a new branch), and is answered.
    @Sendable func edit(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(
            &request, limit: maxBodySize, allowed: ["content", "model", "parameters", "stream"])
        let stream = try body.bool("stream") ?? true
        let chat = try await store.chat(id: try APIRequest.id(context), userID: user.id)
        let original = try await store.message(id: try APIRequest.id(context, "message_id"), chatID: chat.id)
        guard original.role == .user else {
            throw ParleyError.unprocessable("only user messages can be edited and resent, not \(original.role.rawValue) messages")
        }
        let (content, parts) = try Self.content(body)
        let turn = try await ChatTurn.prepare(
            store: store, router: router, user: user, chat: chat, model: try body.string("model"),
            parameters: try body.dictionary("parameters"))
        try context.requireModel(turn.route, requested: turn.route.id)
        let tally = try await context.beginUsage()
        let message = try await store.addMessage(
            NewMessage(
                chatID: chat.id, parentID: original.parentID, authorID: user.id, role: .user, content: content, parts: parts))
        return try await reply(
            to: message, turn: turn, tally: tally, user: user, action: "message.edit", echo: [message], stream: stream,
            detail: ["message_id": .string(original.id), "content": .string(content)])
    }

    private func reply(
        to prompt: MessageRecord, turn: ChatTurn, tally: UsageTally?, user: UserRecord, action: String,
        echo: [MessageRecord], stream: Bool, detail: [String: JSONValue]
    ) async throws -> Response {
        let tree = try await store.messageTree(chatID: prompt.chatID)
        var request = turn.request(branch: tree.branch(endingAt: prompt.id), user: user)
        let grounding = try await KnowledgeTurn.grounding(for: prompt, user: user, store: store, knowledge: knowledge)
        if let grounding { request = KnowledgeTurn.grounded(request, by: grounding) }
        let writer = ReplyWriter(
            store: store, turn: turn, tally: tally, user: user, action: action, prompt: prompt, detail: .object(detail),
            citations: grounding?.citations)
        return try await writer.respond(request: request, echo: echo, stream: stream)
    }

    /// `content` as text or as OpenAI-style parts (`text` and `image_url`).
    static func content(_ body: FieldReader) throws -> (String, JSONValue?) {
        guard let value = body.value("content") else { throw body.fail("content", "is required") }
        switch value {
        case .string(let text):
            guard !text.isEmpty else { throw body.fail("content", "must not be empty") }
            return (text, nil)
        case .array(let parts):
            guard !parts.isEmpty else { throw body.fail("content", "must not be empty") }
            var texts: [String] = []
            for (index, part) in parts.enumerated() {
                let reader = FieldReader(part.objectValue ?? [:], path: "content[\(index)]")
                guard part.objectValue != nil else { throw body.fail("content[\(index)]", "expected an object") }
                switch try reader.requiredString("type") {
                case "text":
                    try reader.refuseUnknown(["type", "text"])
                    texts.append(try reader.requiredString("text"))
                case "image_url":
                    try reader.refuseUnknown(["type", "image_url"])
                    guard let image = try reader.object("image_url") else {
                        throw reader.fail("image_url", "is required")
                    }
                    try image.refuseUnknown(["url", "detail"])
                    let url = try image.requiredString("url")
                    if let detail = try image.string("detail"), !["auto", "low", "high"].contains(detail) {
                        throw image.fail("detail", "expected auto, low or high")
                    }
                    guard url.hasPrefix("https://") || url.hasPrefix("http://") || url.hasPrefix("data:image/") else {
                        throw reader.fail("image_url.url", "expected an http(s) or data:image URL")
                    }
                default: throw reader.fail("type", "expected text or image_url")
                }
            }
            return (texts.joined(separator: "\n"), value)
        default:
            throw body.fail("content", "expected a string or an array of parts, got \(value.typeName)")
        }
    }

    static func title(from content: String) -> String {
        let line = content.split(whereSeparator: \.isNewline).first.map(String.init) ?? content
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return "New chat" }
        return trimmed.count > 60 ? String(trimmed.prefix(59)) + "…" : trimmed
    }
}
