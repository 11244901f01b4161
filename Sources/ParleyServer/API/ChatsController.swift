import Foundation
import Hummingbird
import ParleyCore
import ParleyStorage

/// `/api/v1/chats`: a user's conversations, their members and branches, and search over them.
struct ChatsController {
    let store: Store
    let maxBodySize: Int

    func addRoutes(to group: RouterGroup<ParleyRequestContext>) {
        group.get("chats", use: list)
        group.post("chats", use: create)
        group.get("chats/:id", use: get)
        group.patch("chats/:id", use: update)
        group.delete("chats/:id", use: delete)
        group.get("chats/:id/members", use: members)
        group.post("chats/:id/members", use: addMember)
        group.delete("chats/:id/members/:user_id", use: removeMember)
        group.post("chats/:id/branch", use: selectBranch)
        group.get("search", use: search)
    }

    /// A chat and its messages: the active branch (`view=branch`, with each message's siblings) or the
    /// whole tree (`view=tree`).
    struct ChatDetail: Encodable {
        var chat: ChatRecord
        var messages: [MessageRecord]
        /// With `limit`: older messages of the branch come before these (ask with `before`).
        var hasMore = false

        enum CodingKeys: String, CodingKey {
            case chat, messages
            case hasMore = "has_more"
        }
    }

    @Sendable func list(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let page = try await store.chats(
            userID: user.id, archived: try APIRequest.bool(request, "archived") ?? false,
            pinned: try APIRequest.bool(request, "pinned"), cursor: APIRequest.string(request, "cursor"),
            limit: try APIRequest.int(request, "limit"))
        return try JSONResponse.make(page)
    }

    @Sendable func create(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: ["title", "settings", "tags", "pinned"])
        let chat = try await store.createChat(
            ownerID: user.id, title: try body.string("title"), settings: try Self.settings(body) ?? ChatSettings(),
            tags: try body.strings("tags") ?? [], pinned: try body.bool("pinned") ?? false)
        try await InstructionLog(store: store).record(
            user, action: "chat.create", chatID: chat.id, model: chat.settings.model,
            detail: .object(["title": .string(chat.title)]), outcome: "ok")
        return try JSONResponse.make(chat, status: .created)
    }

    @Sendable func get(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try APIRequest.id(context)
        let chat = try await store.chat(id: id, userID: user.id)
        let limit = try APIRequest.int(request, "limit")
        let before = APIRequest.string(request, "before")
        switch APIRequest.string(request, "view") ?? "branch" {
        case "branch" where limit != nil || before != nil:
            let limit = limit ?? 100
            guard (1...500).contains(limit) else {
                throw ParleyError.badRequest("limit: must be between 1 and 500", param: "limit")
            }
            let window = try await store.branchWindow(
                chatID: id, leafID: chat.activeLeafID, limit: limit, before: before)
            return try JSONResponse.make(ChatDetail(chat: chat, messages: window.messages, hasMore: window.hasMore))
        case "branch":
            let tree = try await store.messageTree(chatID: id)
            return try JSONResponse.make(ChatDetail(chat: chat, messages: tree.branch(endingAt: chat.activeLeafID)))
        case "tree": return try JSONResponse.make(ChatDetail(chat: chat, messages: try await store.messageTree(chatID: id).messages))
        case let view: throw ParleyError.badRequest("view: expected branch or tree, got '\(view)'", param: "view")
        }
    }

    @Sendable func update(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(
            &request, limit: maxBodySize, allowed: ["title", "settings", "tags", "pinned", "archived", "active_leaf_id"])
        let changes = ChatChanges(
            title: try body.string("title"), settings: try Self.settings(body), tags: try body.strings("tags"),
            pinned: try body.bool("pinned"), archived: try body.bool("archived"),
            activeLeafID: try body.string("active_leaf_id"))
        let chat = try await store.updateChat(id: try APIRequest.id(context), userID: user.id, changes)
        return try JSONResponse.make(chat)
    }

    @Sendable func delete(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try APIRequest.id(context)
        try await store.deleteChat(id: id, userID: user.id)
        try await InstructionLog(store: store).record(user, action: "chat.delete", chatID: id, outcome: "ok")
        return Response(status: .noContent)
    }

    @Sendable func members(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let members = try await store.members(chatID: try APIRequest.id(context), userID: user.id)
        return try JSONResponse.make(Page(items: members, nextCursor: nil))
    }

    @Sendable func addMember(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: ["username"])
        let id = try APIRequest.id(context)
        let members = try await store.addMember(chatID: id, userID: user.id, username: try body.requiredString("username"))
        try await InstructionLog(store: store).record(
            user, action: "chat.share", chatID: id, detail: .object(["username": body.value("username") ?? .null]),
            outcome: "ok")
        return try JSONResponse.make(Page(items: members, nextCursor: nil))
    }

    @Sendable func removeMember(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        try await store.removeMember(
            chatID: try APIRequest.id(context), userID: user.id, memberID: try APIRequest.id(context, "user_id"))
        return Response(status: .noContent)
    }

    @Sendable func selectBranch(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await APIRequest.object(&request, limit: maxBodySize, allowed: ["message_id"])
        let id = try APIRequest.id(context)
        let chat = try await store.selectBranch(chatID: id, userID: user.id, messageID: try body.requiredString("message_id"))
        let tree = try await store.messageTree(chatID: id)
        return try JSONResponse.make(ChatDetail(chat: chat, messages: tree.branch(endingAt: chat.activeLeafID)))
    }

    @Sendable func search(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard let query = APIRequest.string(request, "q") else { throw ParleyError.badRequest("q: is required", param: "q") }
        let hits = try await store.search(userID: user.id, query: query, limit: try APIRequest.int(request, "limit"))
        return try JSONResponse.make(Page(items: hits, nextCursor: nil))
    }

    /// `settings` of a chat body: `{model, system_prompt, parameters}`.
    static func settings(_ body: FieldReader) throws -> ChatSettings? {
        guard let settings = try body.object("settings") else { return nil }
        try settings.refuseUnknown(["model", "system_prompt", "parameters"])
        let parameters = try settings.dictionary("parameters") ?? [:]
        try ChatParameters.validate(parameters, path: settings.name("parameters"))
        return ChatSettings(
            model: try settings.string("model"), systemPrompt: try settings.string("system_prompt"), parameters: parameters)
    }
}
