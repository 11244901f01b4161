import Logging
import ParleyCore
import ParleyKnowledge
import ParleyStorage

/// Grounding a chat turn in knowledge: the collections attached to the chat and to the message being
/// answered are searched for it, and the sources found go into the request as a numbered system message.
enum KnowledgeTurn {
    static func grounding(for prompt: MessageRecord, user: UserRecord, store: Store, knowledge: KnowledgeBase)
        async throws -> Grounding?
    {
        var collections = try await store.chatCollections(chatID: prompt.chatID, userID: user.id)
        for collection in try await store.messageCollections(
            chatID: prompt.chatID, messageID: prompt.id, userID: user.id)
        where !collections.contains(where: { $0.id == collection.id }) {
            collections.append(collection)
        }
        guard !collections.isEmpty, !prompt.content.isEmpty else { return nil }
        return try await knowledge.grounding(for: prompt.content, in: collections)
    }

    /// The request with the sources as a system message after any system prompt of the chat's own.
    static func grounded(_ request: ChatRequest, by grounding: Grounding) -> ChatRequest {
        var request = request
        let position = request.messages.firstIndex(where: { $0.role != .system }) ?? request.messages.count
        request.messages.insert(.system(grounding.systemPrompt), at: position)
        return request
    }
}
