import ParleyCore
import ParleyStorage

/// The sampling parameters a chat, a preset or one message may set, checked and turned into the
/// canonical ``SamplingParameters``.
enum ChatParameters {
    static let known: Set<String> = [
        "temperature", "top_p", "top_k", "min_p", "max_tokens", "stop", "seed", "presence_penalty",
        "frequency_penalty", "repeat_penalty",
    ]

    static func validate(_ parameters: [String: JSONValue], path: String) throws {
        _ = try sampling(parameters, path: path)
    }

    /// Later layers override earlier ones (a preset, then the chat's settings, then the message's own).
    static func merged(_ layers: [[String: JSONValue]]) -> [String: JSONValue] {
        layers.reduce(into: [:]) { merged, layer in merged.merge(layer) { _, new in new } }
    }

    static func sampling(_ parameters: [String: JSONValue], path: String) throws -> SamplingParameters {
        let reader = FieldReader(parameters, path: path)
        if let unknown = parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw reader.fail(unknown, "unknown parameter (known: \(known.sorted().joined(separator: ", ")))")
        }
        return SamplingParameters(
            temperature: try reader.number("temperature", in: 0...2), topP: try reader.number("top_p", in: 0...1),
            topK: try reader.integer("top_k", in: 0...100_000), minP: try reader.number("min_p", in: 0...1),
            maxTokens: try reader.integer("max_tokens", in: 1...1_000_000), stop: try reader.strings("stop") ?? [],
            seed: try reader.integer("seed"), presencePenalty: try reader.number("presence_penalty", in: -2...2),
            frequencyPenalty: try reader.number("frequency_penalty", in: -2...2),
            repeatPenalty: try reader.number("repeat_penalty", in: 0...10))
    }
}

/// Keeps instruction records: of users who switched recording on, and always of admin changes.
struct InstructionLog {
    let store: Store

    func record(
        _ user: UserRecord, action: String, chatID: String? = nil, model: String? = nil,
        detail: JSONValue = .object([:]), outcome: String, always: Bool = false
    ) async throws {
        guard always || user.recordInstructions else { return }
        try await store.addRecord(
            userID: user.id, action: action, chatID: chatID, model: model, detail: detail, outcome: outcome)
    }
}
