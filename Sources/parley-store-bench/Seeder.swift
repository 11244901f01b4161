import Foundation
@_spi(Seeding) import ParleyStorage

/// How much data to seed; `scale` shrinks the search corpus and the chat listing for a quick try (the big
/// chat is cheap to seed and keeps its size).
struct Sizes: Sendable {
    var corpusMessages = 1_000_000
    var messagesPerCorpusChat = 100
    var listedChats = 100_000
    var bigChatMessages = 10_000
    var streams = 50

    init(scale: Double) {
        corpusMessages = Int(Double(corpusMessages) * scale)
        listedChats = Int(Double(listedChats) * scale)
    }
}

/// Fills an empty database through multi-row INSERTs: the users and data each scenario reads.
struct Seeder: Sendable {
    let store: Store
    let vocabulary: Vocabulary
    let sizes: Sizes
    /// How often each word (by rank) occurs in the search corpus.
    private(set) var corpusCounts: [Int]

    /// About a year ago, in milliseconds: seeded times run from here to now.
    private let start = Int64(Date().timeIntervalSince1970 * 1000) - 365 * 86_400_000

    init(store: Store, vocabulary: Vocabulary, sizes: Sizes) {
        self.store = store
        self.vocabulary = vocabulary
        self.sizes = sizes
        corpusCounts = Array(repeating: 0, count: vocabulary.words.count)
    }

    static let messageColumns = [
        "id", "chat_id", "parent_id", "author_id", "role", "content", "model", "provider", "prompt_tokens",
        "completion_tokens", "latency_ms", "status", "created_ms", "updated_ms",
    ]
    static let chatColumns = ["id", "owner_id", "title", "active_leaf_id", "message_count", "created_ms", "updated_ms"]
    static let memberColumns = ["chat_id", "user_id", "role", "pinned", "archived", "updated_ms"]

    /// A chat and its members' rows, and its messages' rows, ready to insert.
    struct ChatRows: Sendable {
        var chats: [[any Encodable & Sendable]] = []
        var members: [[any Encodable & Sendable]] = []
        var messages: [[any Encodable & Sendable]] = []
        var counts: [Int]

        mutating func append(_ other: ChatRows) {
            chats += other.chats
            members += other.members
            messages += other.messages
            for (rank, count) in other.counts.enumerated() where count > 0 { counts[rank] += count }
        }
    }

    /// One chat with a linear conversation of `messages` messages (user and assistant in turn), where every
    /// `regenerateEvery`-th reply was regenerated once (the first answer stays as a sibling off the branch).
    func conversation(
        owner: String, messages: Int, startingAt time: Int64, regenerateEvery: Int? = nil, seed: UInt64
    ) -> (rows: ChatRows, chatID: String, leafID: String) {
        var random = SeededRandom(seed: seed)
        var rows = ChatRows(counts: Array(repeating: 0, count: vocabulary.words.count))
        let chatID = Store.makeIdentifier(at: time)
        var parent: String?
        var made = 0
        var replies = 0
        while made < messages {
            let created = time + Int64(made) * 30_000
            let isUser = made % 2 == 0
            let words = isUser ? Int.random(in: 4...40, using: &random) : Int.random(in: 20...200, using: &random)
            if !isUser, let every = regenerateEvery, replies % every == every - 1, made + 1 < messages {
                let first = vocabulary.text(words: words, counts: &rows.counts, using: &random)
                rows.messages.append(
                    message(Store.makeIdentifier(at: created), chatID, parent, nil, first, words, created))
                made += 1
            }
            let id = Store.makeIdentifier(at: created)
            let text = vocabulary.text(words: words, counts: &rows.counts, using: &random)
            rows.messages.append(message(id, chatID, parent, isUser ? owner : nil, text, isUser ? nil : words, created))
            if !isUser { replies += 1 }
            parent = id
            made += 1
        }
        let updated = time + Int64(max(0, made - 1)) * 30_000
        var title = vocabulary.text(words: 4, counts: &rows.counts, using: &random)
        title.removeLast()
        rows.chats.append([chatID, owner, title, parent, made, time, updated])
        rows.members.append([chatID, owner, "owner", false, false, updated])
        return (rows, chatID, parent ?? chatID)
    }

    /// A message's row: a user's when `replyTokens` is nil, else an assistant's with its model and usage.
    private func message(
        _ id: String, _ chatID: String, _ parent: String?, _ author: String?, _ text: String, _ replyTokens: Int?,
        _ created: Int64
    ) -> [any Encodable & Sendable] {
        guard let tokens = replyTokens else {
            return [
                id, chatID, parent, author, "user", text, String?.none, String?.none, Int?.none, Int?.none, Int64?.none,
                "complete", created, created,
            ]
        }
        return [
            id, chatID, parent, author, "assistant", text, "smollm2", "local", tokens * 3, tokens, Int64(tokens * 20),
            "complete", created, created,
        ]
    }

    func insert(_ rows: ChatRows) async throws {
        try await store.bulkInsert(into: "chats", columns: Self.chatColumns, rows: rows.chats)
        try await store.bulkInsert(into: "chat_members", columns: Self.memberColumns, rows: rows.members)
        try await store.bulkInsert(into: "messages", columns: Self.messageColumns, rows: rows.messages)
    }

    /// The search corpus (`corpusMessages` messages in chats of `messagesPerCorpusChat`, 80% of them owned by
    /// `searcher`, the rest by the `others`) and the `listedChats` chats of `lister`, inserted in step over a
    /// year as a server would receive them. Generation of the next batch overlaps the insertion of this one.
    /// Returns the seconds spent inserting each.
    mutating func seedCorpusAndListing(searcher: String, others: [String], lister: String) async throws
        -> (corpus: Double, listing: Double)
    {
        let chats = sizes.corpusMessages / sizes.messagesPerCorpusChat
        let chatsPerBatch = 50
        let batches = max(1, (chats + chatsPerBatch - 1) / chatsPerBatch)
        let listedPerBatch = (sizes.listedChats + batches - 1) / batches
        let span = Int64(365 * 86_400_000) / Int64(max(1, chats))
        let seeder = self
        func batch(_ index: Int) -> Task<ChatRows, Never> {
            Task {
                var rows = ChatRows(counts: Array(repeating: 0, count: seeder.vocabulary.words.count))
                for chat in index * chatsPerBatch..<min(chats, (index + 1) * chatsPerBatch) {
                    let owner = chat % 5 == 4 ? others[chat / 5 % others.count] : searcher
                    rows.append(
                        seeder.conversation(
                            owner: owner, messages: seeder.sizes.messagesPerCorpusChat,
                            startingAt: seeder.start + Int64(chat) * span, seed: UInt64(chat) + 1_000
                        ).rows)
                }
                return rows
            }
        }
        var seconds = (corpus: 0.0, listing: 0.0)
        var next = batch(0)
        for index in 0..<batches {
            let rows = await next.value
            if index + 1 < batches { next = batch(index + 1) }
            seconds.corpus += try await timed { try await insert(rows) }.1
            for (rank, count) in rows.counts.enumerated() where count > 0 { corpusCounts[rank] += count }
            let listed = index * listedPerBatch..<min(sizes.listedChats, (index + 1) * listedPerBatch)
            seconds.listing += try await timed { try await insert(listedChatRows(owner: lister, listed)) }.1
            if index % 40 == 39 || index == batches - 1 {
                print(
                    "  seeded \((index + 1) * chatsPerBatch * sizes.messagesPerCorpusChat) messages", to: &standardError
                )
            }
        }
        return seconds
    }

    /// Chats `indices` of the `listedChats` of `owner` (spread over a year, some pinned, some archived, no
    /// messages).
    private func listedChatRows(owner: String, _ indices: Range<Int>) -> ChatRows {
        var random = SeededRandom(seed: 7 &+ UInt64(indices.lowerBound))
        let span = Int64(365 * 86_400_000) / Int64(max(1, sizes.listedChats))
        var rows = ChatRows(counts: [])
        for index in indices {
            let created = start + Int64(index) * span
            let updated = created + Int64.random(in: 0..<span, using: &random)
            let id = Store.makeIdentifier(at: created)
            let words = (0..<Int.random(in: 2...6, using: &random)).map { _ in
                vocabulary.words[vocabulary.draw(using: &random)]
            }
            rows.chats.append([id, owner, words.joined(separator: " ").capitalized, String?.none, 0, created, updated])
            let pinned = Int.random(in: 0..<50, using: &random) == 0
            let archived = Int.random(in: 0..<20, using: &random) == 0
            rows.members.append([id, owner, "owner", pinned, archived, updated])
        }
        return rows
    }

    /// A user's one short chat from a year ago: the worst case for search, whose newest matches are elsewhere.
    func seedOldChat(owner: String) async throws {
        try await insert(conversation(owner: owner, messages: 10, startingAt: start - 86_400_000, seed: 3).rows)
    }

    /// The big chat: `bigChatMessages` messages, one reply in 25 regenerated. Returns its id and active leaf.
    func seedBigChat(owner: String) async throws -> (chatID: String, leafID: String) {
        let time = Int64(Date().timeIntervalSince1970 * 1000) - Int64(sizes.bigChatMessages) * 30_000
        let (rows, chatID, leafID) = conversation(
            owner: owner, messages: sizes.bigChatMessages, startingAt: time, regenerateEvery: 25, seed: 42)
        try await insert(rows)
        return (chatID, leafID)
    }
}

/// Standard error, for progress lines that should not mix with the report.
nonisolated(unsafe) var standardError = StandardError()

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}
