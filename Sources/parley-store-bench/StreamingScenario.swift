import Foundation
import ParleyCore
import ParleyStorage

/// (d) Write throughput while 50 replies stream at once: each reply is added, written every 10 tokens for
/// 200 tokens, then completed with its usage.
enum StreamingScenario {
    static let tokens = 200
    static let tokensPerWrite = 10

    static func run(store: Store, userID: String, streams: Int, vocabulary: Vocabulary, report: inout Report)
        async throws
    {
        var questions: [(chatID: String, messageID: String)] = []
        for index in 0..<streams {
            let chat = try await store.createChat(ownerID: userID, title: "Stream \(index)")
            let question = try await store.addMessage(
                NewMessage(chatID: chat.id, parentID: nil, authorID: userID, role: .user, content: "Tell me more."))
            questions.append((chat.id, question.id))
        }
        let words = Array(vocabulary.words.prefix(2_000))
        var updateRates: [Double] = []
        var replyRates: [Double] = []
        var latencies: [Double] = []
        for round in 0..<6 {
            let start = ContinuousClock.now
            let roundLatencies = try await withThrowingTaskGroup(of: [Double].self) { group in
                for (index, question) in questions.enumerated() {
                    group.addTask {
                        try await stream(store: store, question: question, words: words, seed: index)
                    }
                }
                return try await group.reduce(into: [Double]()) { $0 += $1 }
            }
            let seconds = (ContinuousClock.now - start).seconds
            // The first round warms up.
            guard round > 0 else { continue }
            let updates = streams * (tokens / tokensPerWrite + 1)
            updateRates.append(Double(updates) / seconds)
            replyRates.append(Double(streams) / seconds)
            latencies += roundLatencies
        }
        report.rate(
            "(d) \(streams) streaming replies: updateMessage calls per second", perSecond: updateRates, unit: "/s")
        report.rate("(d) \(streams) streaming replies: replies completed per second", perSecond: replyRates, unit: "/s")
        report.latency("(d) one write while \(streams) replies stream", Timings(latencies), targetMs: nil)
    }

    /// One reply: returns how long each of its writes took.
    private static func stream(
        store: Store, question: (chatID: String, messageID: String), words: [String], seed: Int
    ) async throws -> [Double] {
        var random = SeededRandom(seed: UInt64(seed))
        var latencies: [Double] = []
        let (reply, added) = try await timed {
            try await store.addMessage(
                NewMessage(
                    chatID: question.chatID, parentID: question.messageID, authorID: nil, role: .assistant, content: "",
                    model: "bench", provider: "bench", status: .streaming))
        }
        latencies.append(added)
        var content = ""
        for token in 1...tokens {
            content += (token == 1 ? "" : " ") + words.randomElement(using: &random)!
            guard token % tokensPerWrite == 0 else { continue }
            let (_, seconds) = try await timed {
                try await store.updateMessage(id: reply.id, content: content, status: .streaming)
            }
            latencies.append(seconds)
        }
        let (_, seconds) = try await timed {
            try await store.updateMessage(
                id: reply.id, content: content, status: .complete,
                usage: TokenUsage(promptTokens: 12, completionTokens: tokens), latencyMs: 1_000)
        }
        latencies.append(seconds)
        return latencies
    }
}
