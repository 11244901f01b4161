import ParleyStorage

/// (b) One page of 50 chats of a user with 100,000 chats: the first page, and a page deep in the listing.
enum ChatListScenario {
    static func run(store: Store, userID: String, report: inout Report) async throws {
        // Walk the whole listing once: it checks that the pages join up, and finds a deep cursor.
        var seen = Set<String>()
        var cursors: [String] = []
        var cursor: String?
        var pageTimes: [Double] = []
        repeat {
            let (page, seconds) = try await timed { try await store.chats(userID: userID, cursor: cursor, limit: 50) }
            pageTimes.append(seconds)
            for chat in page.items where !seen.insert(chat.id).inserted {
                throw BenchError("chat \(chat.id) was listed twice")
            }
            cursor = page.nextCursor
            if let cursor { cursors.append(cursor) }
        } while cursor != nil
        print("  listing walked: \(seen.count) chats in \(pageTimes.count) pages", to: &standardError)

        let first = try await Timings.measure(runs: 200) { _ = try await store.chats(userID: userID, limit: 50) }
        report.latency("(b) first page of 50 of \(seen.count.formatted()) chats", first, targetMs: 10)
        let deepIndex = cursors.count * 9 / 10
        let deepCursor = cursors[deepIndex]
        let deep = try await Timings.measure(runs: 200) {
            _ = try await store.chats(userID: userID, cursor: deepCursor, limit: 50)
        }
        report.latency(
            "(b) page \(deepIndex + 2) of 50 (cursor past \(((deepIndex + 1) * 50).formatted()))", deep, targetMs: 10)
        report.latency("(b) every page, walked once", Timings(pageTimes), targetMs: 10)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
