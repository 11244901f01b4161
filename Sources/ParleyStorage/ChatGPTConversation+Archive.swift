import Foundation
import ParleyCore

extension ChatGPTConversation {
    /// What one node of the tree becomes.
    private enum Kind {
        /// No message, a hidden one, an empty one, or one of a kind Parley cannot show.
        case skipped
        /// A call to a tool or a tool's output, as Markdown.
        case tool(text: String, model: String?)
        case message(role: ChatRole, content: String, model: String?, status: MessageStatus)
    }

    /// Tool activity on the way down to the next reply.
    private struct Carried {
        var text: String
        var model: String?
    }

    private struct Step {
        var key: String
        /// The nearest kept message above, which becomes the parent of whatever this node yields.
        var parentID: String?
        var parentTime: Timestamp
        var carried: Carried?
    }

    /// The conversation as an archive; nil when nothing in it can be shown.
    ///
    /// Skipped nodes leave the tree and their children move up to the nearest kept message, so every
    /// branch (an edited question, a regenerated answer) survives as siblings. Tool calls and tool output
    /// are folded, as Markdown, into the reply that follows them: ChatGPT's tool messages carry no call ids
    /// and answer tools Parley does not have, so stored as `tool` messages they would make the chat one that
    /// no upstream accepts when the user carries on with it.
    func archive(fallbackTime: Timestamp) -> ChatArchive? {
        let (children, roots) = childrenByNode()
        let start = createTime.flatMap(Self.timestamp) ?? fallbackTime
        var messages: [ChatArchive.Message] = []
        // The id of the message that stands for a node that yielded one.
        var yielded: [String: String] = [:]
        var visited = Set<String>()
        var stack = roots.reversed().map { Step(key: $0, parentID: nil, parentTime: start, carried: nil) }
        while let step = stack.popLast() {
            guard visited.insert(step.key).inserted, let node = mapping[step.key] else { continue }
            let time = node.message?.createTime.flatMap(Self.timestamp) ?? step.parentTime
            var parentID = step.parentID
            var carried = step.carried
            switch Self.kind(of: node) {
            case .skipped:
                break
            case .tool(let text, let model):
                carried = Carried(
                    text: carried.map { "\($0.text)\n\n\(text)" } ?? text, model: carried?.model ?? model)
            case .message(let role, var content, var model, let status):
                if let tools = carried {
                    if role == .assistant {
                        content = "\(tools.text)\n\n\(content)"
                        model = model ?? tools.model
                    } else {
                        let id = "\(step.key)~tools"
                        messages.append(Self.reply(id: id, parentID: parentID, carrying: tools, at: time))
                        parentID = id
                    }
                    carried = nil
                }
                messages.append(
                    ChatArchive.Message(
                        id: step.key, parentID: parentID, role: role, content: content, model: model, status: status,
                        createdAt: time))
                yielded[step.key] = step.key
                parentID = step.key
            }
            let below = children[step.key] ?? []
            if below.isEmpty, let tools = carried {
                // Nothing below to fold the tool activity into: it stands as a reply of its own.
                let id = "\(step.key)~tools"
                messages.append(Self.reply(id: id, parentID: parentID, carrying: tools, at: time))
                yielded[step.key] = id
            }
            for child in below.reversed() {
                stack.append(Step(key: child, parentID: parentID, parentTime: time, carried: carried))
            }
        }
        guard !messages.isEmpty else { return nil }
        // Oldest first, as Parley stores a chat; a child older than its parent (clock skew) is put after it
        // on import.
        messages = messages.enumerated().sorted {
            ($0.element.createdAt, $0.offset) < ($1.element.createdAt, $1.offset)
        }
        .map(\.element)
        let times = messages.map(\.createdAt)
        let created = createTime.flatMap(Self.timestamp) ?? times.min()!
        let updated = max(created, updateTime.flatMap(Self.timestamp) ?? times.max()!)
        return ChatArchive(
            sourceID: conversationID ?? id, title: Self.title(title), createdAt: created, updatedAt: updated,
            activeLeafID: activeLeaf(yielded: yielded), messages: messages)
    }

    /// Each node's children, from the nodes' parent links, in the order of the parent's `children` list;
    /// nodes whose parent is missing are roots.
    private func childrenByNode() -> (children: [String: [String]], roots: [String]) {
        var children: [String: [String]] = [:]
        var roots: [String] = []
        for (key, node) in mapping {
            if let parent = node.parent, parent != key, mapping[parent] != nil {
                children[parent, default: []].append(key)
            } else {
                roots.append(key)
            }
        }
        func time(_ key: String) -> Double { mapping[key]?.message?.createTime ?? 0 }
        for (parent, keys) in children where keys.count > 1 {
            var position: [String: Int] = [:]
            for (index, key) in (mapping[parent]?.children ?? []).enumerated() where position[key] == nil {
                position[key] = index
            }
            children[parent] = keys.sorted {
                (position[$0] ?? Int.max, time($0), $0) < (position[$1] ?? Int.max, time($1), $1)
            }
        }
        roots.sort { (time($0), $0) < (time($1), $1) }
        return (children, roots)
    }

    /// The current node, or its nearest ancestor that yielded a message.
    private func activeLeaf(yielded: [String: String]) -> String? {
        var key = currentNode
        var steps = 0
        while let current = key, steps <= mapping.count {
            if let id = yielded[current] { return id }
            key = mapping[current]?.parent
            steps += 1
        }
        return nil
    }

    private static func kind(of node: Node) -> Kind {
        guard let message = node.message, let role = message.author?.role, message.metadata?.isHidden != true else {
            return .skipped
        }
        let text = message.content?.markdown ?? ""
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .skipped }
        let model = message.metadata?.modelSlug.flatMap { $0.isEmpty ? nil : $0 }
        let status: MessageStatus =
            switch message.status {
            case "in_progress", "finished_partial_completion": .partial
            default: .complete
            }
        switch role {
        case "system": return .message(role: .system, content: text, model: nil, status: status)
        case "user": return .message(role: .user, content: text, model: nil, status: status)
        case "assistant":
            if let recipient = message.recipient, recipient != "all" {
                let call =
                    message.content?.contentType == "code"
                    ? text : ChatGPTConversation.Content.fenced(text, language: nil)
                return .tool(text: "Tool call (\(recipient)):\n\n\(call)", model: model)
            }
            return .message(role: .assistant, content: text, model: model, status: status)
        case "tool": return .tool(text: text, model: nil)
        default: return .skipped
        }
    }

    private static func reply(id: String, parentID: String?, carrying tools: Carried, at time: Timestamp)
        -> ChatArchive.Message
    {
        ChatArchive.Message(
            id: id, parentID: parentID, role: .assistant, content: tools.text, model: tools.model, createdAt: time)
    }

    static func timestamp(_ seconds: Double) -> Timestamp? {
        guard seconds.isFinite, abs(seconds) < 1e12 else { return nil }
        return Timestamp(milliseconds: Int64((seconds * 1000).rounded()))
    }

    private static func title(_ title: String?) -> String {
        let trimmed = (title ?? "").split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return "Imported chat" }
        return String(trimmed.prefix(500))
    }
}

extension ChatArchive {
    /// Reads ChatGPT's data export (`conversations.json`, a JSON array of conversations), one archive per
    /// conversation that has anything to show, in the file's order. Branches, the current branch, models
    /// and times are kept; hidden and empty messages are left out; tool calls and output are folded into the
    /// reply that follows them; images become `[image]`, as their files are not in `conversations.json`.
    ///
    /// - Throws: `ParleyError.badRequest` naming the field (`[3].mapping`) when the file is not such an export.
    public static func chatGPTConversations(from data: Data) throws -> [ChatArchive] {
        let conversations: [ChatGPTConversation]
        do {
            conversations = try JSONDecoder().decode([ChatGPTConversation].self, from: data)
        } catch let error as DecodingError {
            throw error.parleyError(document: "a JSON array of conversations (ChatGPT's conversations.json)")
        }
        let now = Timestamp.now()
        return conversations.compactMap { $0.archive(fallbackTime: now) }
    }
}
