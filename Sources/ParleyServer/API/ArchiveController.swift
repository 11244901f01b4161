import Foundation
import Hummingbird
import NIOFoundationCompat
import NIOPosix
import ParleyCore
import ParleyStorage

/// `/api/v1/chats/{id}/export` (Parley JSON or Markdown) and `/api/v1/chats/import` (Parley JSON, or
/// ChatGPT's `conversations.json`).
struct ArchiveController {
    let store: Store
    /// Imports may be far bigger than a chat request: a ChatGPT export holds a whole history.
    let importLimit: Int

    func addRoutes(to group: RouterGroup<ParleyRequestContext>) {
        group.get("chats/:id/export", use: export)
        group.post("chats/import", use: importChats)
    }

    @Sendable func export(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let archive = try await store.exportChat(id: try APIRequest.id(context), userID: user.id)
        let name = Self.fileName(archive.title)
        switch APIRequest.string(request, "format") ?? "json" {
        case "json":
            let data = try await NIOThreadPool.singleton.runIfActive { archive.parleyJSON() }
            return Self.download(data, type: "application/json", file: "\(name).json")
        case "markdown", "md":
            let data = try await NIOThreadPool.singleton.runIfActive { Data(archive.markdown().utf8) }
            return Self.download(data, type: "text/markdown; charset=utf-8", file: "\(name).md")
        case let format:
            throw ParleyError.badRequest("format: expected json or markdown, got '\(format)'", param: "format")
        }
    }

    /// One Parley JSON chat (an object), or ChatGPT's export (an array of conversations); all or nothing
    /// per chat, each chat in one transaction.
    @Sendable func importChats(_ request: Request, context: ParleyRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let buffer = try await RequestBodyReader.bytes(&request, limit: importLimit)
        let data = Data(buffer: buffer)
        let first = data.first { !Character(UnicodeScalar($0)).isWhitespace }
        guard first == UInt8(ascii: "[") || first == UInt8(ascii: "{") else {
            throw ParleyError.badRequest(
                "expected a Parley chat export (a JSON object) or ChatGPT's conversations.json (a JSON array)")
        }
        // A whole ChatGPT history takes seconds to read: on the blocking pool, not on the few threads that
        // run every request's tasks (or, with PARLEY_TASK_EXECUTOR=event-loops, on an event loop).
        let archives: [ChatArchive] = try await NIOThreadPool.singleton.runIfActive {
            first == UInt8(ascii: "[") ? try ChatArchive.chatGPTConversations(from: data) : [try ChatArchive(parleyJSON: data)]
        }
        var chats: [ChatRecord] = []
        for archive in archives {
            chats.append(try await store.importChat(ownerID: user.id, archive: archive))
        }
        try await InstructionLog(store: store).record(
            user, action: "chat.import", detail: .object(["chats": .number(Double(chats.count))]), outcome: "ok")
        return try JSONResponse.make(Page(items: chats, nextCursor: nil), status: .created)
    }

    static func download(_ data: Data, type: String, file: String) -> Response {
        var headers: HTTPFields = [.contentType: type]
        headers[.contentDisposition] = "attachment; filename=\"\(file)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    /// A file name from a title: letters, digits, `-` and `_` only.
    static func fileName(_ title: String) -> String {
        let kept = title.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "-" }
        let name = String(kept).split(separator: "-").joined(separator: "-").prefix(80)
        return name.isEmpty ? "chat" : String(name)
    }
}
