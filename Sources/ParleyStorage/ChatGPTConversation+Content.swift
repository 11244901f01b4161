import ParleyCore

extension ChatGPTConversation.Content {
    /// Content types that are the model's or the app's own bookkeeping (hidden reasoning, memory, custom
    /// instructions, raw browsing results): ChatGPT does not show them as messages, and neither does Parley.
    private static let unshown: Set<String> = [
        "thoughts", "reasoning_recap", "user_editable_context", "model_editable_context", "tether_browsing_display",
    ]

    /// The content as Markdown; empty for content Parley cannot show. Text parts are kept as written;
    /// an uploaded or generated image becomes `[image]`, since the file itself is not in `conversations.json`.
    var markdown: String {
        let type = contentType ?? "text"
        switch type {
        case "text":
            return (parts ?? []).compactMap(\.stringValue).joined(separator: "\n")
        case "multimodal_text":
            return (parts ?? []).compactMap(Self.partText).joined(separator: "\n\n")
        case "code":
            return text.map { Self.fenced($0, language: language) } ?? ""
        case "execution_output":
            return text.map { "Output:\n\n" + Self.fenced($0, language: nil) } ?? ""
        case "tether_quote":
            return quote
        case "system_error":
            return text.map { "Error: \($0)" } ?? ""
        default:
            if Self.unshown.contains(type) { return "" }
            if let parts { return parts.compactMap(Self.partText).joined(separator: "\n\n") }
            return text ?? ""
        }
    }

    private var quote: String {
        var lines = (text ?? "").split(separator: "\n", omittingEmptySubsequences: false).map { "> \($0)" }
        if let url, !url.isEmpty { lines.append(">\n> — [\(title ?? url)](\(url))") }
        return lines.joined(separator: "\n")
    }

    private static func partText(_ part: JSONValue) -> String? {
        if let text = part.stringValue { return text.isEmpty ? nil : text }
        switch part["content_type"]?.stringValue {
        case "image_asset_pointer": return "[image]"
        case "audio_transcription": return part["text"]?.stringValue
        // The recording of a voice chat; its words come as a transcription part.
        case "audio_asset_pointer", "real_time_user_audio_video_asset_pointer": return nil
        default: return part["text"]?.stringValue
        }
    }

    /// A fenced code block whose fence is longer than any run of backticks inside it.
    static func fenced(_ code: String, language: String?) -> String {
        var fence = "```"
        while code.contains(fence) { fence += "`" }
        let info = language.flatMap { $0 == "unknown" ? nil : $0 } ?? ""
        let body = code.hasSuffix("\n") ? String(code.dropLast()) : code
        return "\(fence)\(info)\n\(body)\n\(fence)"
    }
}
