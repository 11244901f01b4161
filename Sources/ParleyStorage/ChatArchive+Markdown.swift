import Foundation
import ParleyCore

extension ChatArchive {
    /// The active branch as a Markdown document: the title as a heading, a line saying when the chat was
    /// created and with which model, then each message under a heading naming its role (and the model, for
    /// replies). Message text is written as it is, since it is Markdown already.
    public func markdown() -> String {
        let branch = activeBranch()
        var text = "# \(Self.oneLine(title))\n\n"
        var facts = ["Created \(Self.readable(createdAt))"]
        let models =
            settings.model.map { [$0] } ?? Self.distinct(branch.filter { $0.role == .assistant }.compactMap(\.model))
        if !models.isEmpty {
            facts.append("\(models.count == 1 ? "Model" : "Models"): \(models.joined(separator: ", "))")
        }
        if !tags.isEmpty { facts.append("Tags: \(tags.joined(separator: ", "))") }
        text += facts.joined(separator: " · ") + "\n"
        for message in branch {
            text += "\n## \(Self.heading(for: message))\n\n"
            var blocks: [String] = []
            let content = message.content.trimmingCharacters(in: .newlines)
            if !content.isEmpty { blocks.append(content) }
            blocks.append(contentsOf: Self.images(in: message.parts))
            if let note = Self.statusNote(for: message) { blocks.append(note) }
            if blocks.isEmpty { blocks.append("*(empty)*") }
            text += blocks.joined(separator: "\n\n") + "\n"
        }
        return text
    }

    private static func heading(for message: Message) -> String {
        let name =
            switch message.role {
            case .system: "System"
            case .developer: "Developer"
            case .user: "User"
            case .assistant: "Assistant"
            case .tool: "Tool"
            }
        guard message.role == .assistant, let model = message.model, !model.isEmpty else { return name }
        return "\(name) (\(oneLine(model)))"
    }

    private static func statusNote(for message: Message) -> String? {
        let error = message.error.map(oneLine).flatMap { $0.isEmpty ? nil : $0 }
        switch message.status {
        case .complete:
            return nil
        case .streaming:
            return "> *Still being written when the chat was exported.*"
        case .partial:
            return "> *Partial reply: it stopped before it was complete\(error.map { " (\($0))" } ?? "").*"
        case .error:
            return "> *Error: \(error ?? "the reply failed").*"
        }
    }

    /// Images sent as parts: linked when they are on the web; `data:` URLs would bloat the document.
    private static func images(in parts: JSONValue?) -> [String] {
        (parts?.arrayValue ?? []).compactMap { part in
            guard part["type"]?.stringValue == "image_url" else { return nil }
            let url = part["image_url"]?["url"]?.stringValue ?? part["image_url"]?.stringValue ?? ""
            return url.hasPrefix("https://") || url.hasPrefix("http://") ? "![image](\(url))" : "*[image]*"
        }
    }

    private static func readable(_ time: Timestamp) -> String {
        let style = Date.ISO8601FormatStyle(dateSeparator: .dash, dateTimeSeparator: .space, timeZone: .gmt)
            .year().month().day().time(includingFractionalSeconds: false)
        let text = time.date.formatted(style)
        // Seconds are noise in a heading line.
        return "\(text.prefix(16)) UTC"
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private static func distinct(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
