import Foundation
import ParleyCore
import ParleyProviders
import ParleyStorage

/// One turn of a stored chat, ready to send: the model it goes to, and the request built from the
/// branch, the system prompt and the parameters (the user's default preset for the model, then the
/// chat's settings, then the message's own).
struct ChatTurn {
    var route: ModelRouter.Route
    var systemPrompt: String?
    var parameters: [String: JSONValue]
    var sampling: SamplingParameters

    static func prepare(
        store: Store, router: ModelRouter, user: UserRecord, chat: ChatRecord, model requested: String?,
        parameters: [String: JSONValue]?
    ) async throws -> ChatTurn {
        guard let modelID = requested ?? chat.settings.model ?? router.defaultModel else {
            throw ParleyError.badRequest("model: is required (the chat has no model and there is no default)", param: "model")
        }
        let route = try await router.resolve(modelID)
        var preset = try await store.defaultPreset(userID: user.id, model: route.id)
        if preset == nil, modelID != route.id { preset = try await store.defaultPreset(userID: user.id, model: modelID) }
        var presetParameters = preset?.parameters ?? [:]
        let presetSystemPrompt = presetParameters.removeValue(forKey: "system_prompt")?.stringValue
        let merged = ChatParameters.merged([presetParameters, chat.settings.parameters, parameters ?? [:]])
        return ChatTurn(
            route: route, systemPrompt: chat.settings.systemPrompt ?? presetSystemPrompt, parameters: merged,
            sampling: try ChatParameters.sampling(merged, path: "parameters"))
    }

    /// The provider request for a reply to the last message of `branch`.
    func request(branch: [MessageRecord], user: UserRecord) -> ChatRequest {
        var messages: [ChatMessage] = []
        if let systemPrompt, !systemPrompt.isEmpty { messages.append(.system(systemPrompt)) }
        for message in branch where message.status != .error || !message.content.isEmpty {
            guard message.role != .assistant || !message.content.isEmpty else { continue }
            messages.append(ChatMessage(role: message.role, content: Self.content(of: message)))
        }
        return ChatRequest(model: route.model, messages: messages, parameters: sampling, user: user.id, stream: true)
    }

    /// Text, or text and images when the message was sent with parts.
    static func content(of message: MessageRecord) -> MessageContent {
        guard let parts = message.parts?.arrayValue else { return .text(message.content) }
        let converted: [ContentPart] = parts.compactMap { part in
            switch part["type"]?.stringValue {
            case "text": return part["text"]?.stringValue.map { .text($0) }
            case "image_url": return part["image_url"]?["url"]?.stringValue.map { .imageURL(url: $0, detail: nil) }
            default: return nil
            }
        }
        return .parts(converted)
    }
}
