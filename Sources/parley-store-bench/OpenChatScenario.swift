import Foundation
import ParleyStorage

/// (a) What GET /api/v1/chats/{id} costs the server for a 10,000-message chat: the chat, its message tree,
/// the active branch, and that branch as JSON.
enum OpenChatScenario {
    static func run(store: Store, chatID: String, userID: String, runs: Int = 30, report: inout Report) async throws {
        let encoder = JSONEncoder()
        var messages = 0
        var branchLength = 0
        var bytes = 0
        let timings = try await Timings.measure(runs: runs) {
            let chat = try await store.chat(id: chatID, userID: userID)
            let tree = try await store.messageTree(chatID: chatID)
            let branch = tree.branch(endingAt: chat.activeLeafID)
            let body = try encoder.encode(branch)
            messages = tree.messages.count
            branchLength = branch.count
            bytes = body.count
        }
        let name =
            "(a) open a \(messages.formatted())-message chat (\(branchLength.formatted()) on branch, "
            + String(format: "%.1f", Double(bytes) / 1e6) + " MB of JSON)"
        report.latency(name, timings, targetMs: 50)

        // How the API opens a long chat with `?limit=100`: the newest window of the branch, read alone.
        var windowBytes = 0
        let windowTimings = try await Timings.measure(runs: runs) {
            let chat = try await store.chat(id: chatID, userID: userID)
            let window = try await store.branchWindow(chatID: chatID, leafID: chat.activeLeafID, limit: 100)
            windowBytes = try encoder.encode(window.messages).count
        }
        report.latency(
            "(a) open it by its newest 100 messages (limit=100, "
                + String(format: "%.0f", Double(windowBytes) / 1e3) + " kB of JSON)", windowTimings, targetMs: 50)

        // Where the time goes, for when the figure misses its target.
        let (tree, load) = try await timed { try await store.messageTree(chatID: chatID) }
        let (branch, walk) = try await timed { tree.branch(endingAt: tree.messages.last?.id) }
        let (_, encode) = try await timed { try encoder.encode(branch) }
        print(
            "  open chat: messageTree " + milliseconds(load) + ", branch " + milliseconds(walk) + ", JSON "
                + milliseconds(encode), to: &standardError)
    }

    private static func milliseconds(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }
}
