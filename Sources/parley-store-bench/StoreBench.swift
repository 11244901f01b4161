import Foundation
import Logging
@_spi(Seeding) import ParleyStorage

/// Measures the Store on a large database: opening a long chat, listing many chats, searching a million
/// messages, and writing while replies stream. bench/store/run.sh runs it on SQLite and PostgreSQL.
///
///     parley-store-bench (--sqlite DIR | --postgres URL) [--scale FRACTION] [--only abcd]
///
/// The database must be empty: the benchmark seeds it.
@main
struct StoreBench {
    static func main() async throws {
        let options = try Options(CommandLine.arguments.dropFirst())
        var logger = Logger(label: "parley.store-bench")
        logger.logLevel = .warning
        let store = try await Store.open(
            url: options.postgresURL, dataDirectory: options.sqliteDirectory, logger: logger)
        do {
            try await run(store: store, options: options)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    static func run(store: Store, options: Options) async throws {
        let sizes = Sizes(scale: options.scale)
        let vocabulary = Vocabulary(size: 40_000, seed: 1)
        var seeder = Seeder(store: store, vocabulary: vocabulary, sizes: sizes)
        print("Seeding \(store.backend.rawValue) (\(store.location))", to: &standardError)

        let searcher = try await store.createUser(username: "searcher")
        var others: [String] = []
        for index in 1...4 { others.append(try await store.createUser(username: "other\(index)").id) }
        let reader = try await store.createUser(username: "reader")
        let lister = try await store.createUser(username: "lister")
        let streamer = try await store.createUser(username: "streamer")

        let newcomer = try await store.createUser(username: "newcomer")
        try await seeder.seedOldChat(owner: newcomer.id)

        var seedLines: [String] = []
        let seconds = try await seeder.seedCorpusAndListing(searcher: searcher.id, others: others, lister: lister.id)
        seedLines.append(seedLine("search corpus", sizes.corpusMessages, "messages", seconds.corpus))
        seedLines.append(seedLine("chat listing", sizes.listedChats, "chats", seconds.listing))
        let (bigChat, bigSeconds) = try await timed { try await seeder.seedBigChat(owner: reader.id) }
        seedLines.append(seedLine("big chat", sizes.bigChatMessages, "messages", bigSeconds))
        // Fresh statistics, as autovacuum (PostgreSQL) or PRAGMA optimize (SQLite) would gather in time.
        let (_, analyzeSeconds) = try await timed {
            try await store.execute(store.backend == .postgres ? "VACUUM ANALYZE" : "ANALYZE")
        }
        seedLines.append(
            "  " + "analyze".padding(toLength: 14, withPad: " ", startingAt: 0)
                + String(format: " %.1f s", analyzeSeconds))
        print("Seed times (\(store.backend.rawValue))")
        for line in seedLines { print(line) }

        var report = Report()
        if options.scenarios.contains("a") {
            try await OpenChatScenario.run(store: store, chatID: bigChat.chatID, userID: reader.id, report: &report)
        }
        if options.scenarios.contains("b") {
            try await ChatListScenario.run(store: store, userID: lister.id, report: &report)
        }
        if options.scenarios.contains("c") {
            let queries = SearchScenario.queries(vocabulary: vocabulary, counts: seeder.corpusCounts)
            try await SearchScenario.run(store: store, userID: searcher.id, queries: queries, report: &report)
            try await SearchScenario.runSparse(store: store, userID: newcomer.id, query: queries[1], report: &report)
        }
        if options.scenarios.contains("d") {
            try await StreamingScenario.run(
                store: store, userID: streamer.id, streams: sizes.streams, vocabulary: vocabulary, report: &report)
        }
        report.print(title: "ParleyStorage on \(store.backend.rawValue)")
    }

    static func seedLine(_ what: String, _ count: Int, _ unit: String, _ seconds: Double) -> String {
        let rate = seconds > 0 ? Int(Double(count) / seconds) : 0
        return "  \(what.padding(toLength: 14, withPad: " ", startingAt: 0)) \(count.formatted()) \(unit) in "
            + String(format: "%.1f", seconds) + " s (\(rate.formatted()) \(unit)/s)"
    }
}

struct Options {
    var postgresURL: String?
    var sqliteDirectory = ""
    var scale = 1.0
    /// Which of the scenarios a, b, c, d to run.
    var scenarios: Set<Character> = ["a", "b", "c", "d"]

    init(_ arguments: ArraySlice<String>) throws {
        var arguments = arguments
        while let argument = arguments.popFirst() {
            guard let value = arguments.popFirst() else { throw BenchError("\(argument) needs a value") }
            switch argument {
            case "--postgres": postgresURL = value
            case "--sqlite": sqliteDirectory = value
            case "--scale":
                guard let scale = Double(value), scale > 0, scale <= 1 else {
                    throw BenchError("--scale: 0 < scale <= 1")
                }
                self.scale = scale
            case "--only": scenarios = Set(value.filter { "abcd".contains($0) })
            default: throw BenchError("unknown option \(argument)")
            }
        }
        guard (postgresURL != nil) != !sqliteDirectory.isEmpty else {
            throw BenchError(
                "usage: parley-store-bench (--sqlite DIR | --postgres URL) [--scale FRACTION] [--only abcd]")
        }
    }
}
