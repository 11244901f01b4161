import ParleyStorage

/// (c) Full-text search over a million messages, for the user who owns most of them.
enum SearchScenario {
    struct Query {
        var label: String
        var text: String
    }

    /// Queries of each kind, chosen by how often their words occur in the corpus.
    static func queries(vocabulary: Vocabulary, counts: [Int]) -> [Query] {
        let words = vocabulary.words
        // A rare word that is not the beginning of another word (the last word also matches as a prefix).
        let prefixes = Set(words.flatMap { word in (3..<max(3, word.count)).map { String(word.prefix($0)) } })
        let rare =
            (1_000..<words.count).filter { counts[$0] > 0 && !prefixes.contains(words[$0]) }
            .min { abs(counts[$0] - 40) < abs(counts[$1] - 40) } ?? words.count - 1
        let common = 0
        let pair = (40, 150)
        // A three-letter beginning shared by many generated words, as typed so far.
        let stem = String(words[300].prefix(3))
        let sharing = words.indices.filter { words[$0].hasPrefix(stem) }
        let occurrences = sharing.map { counts[$0] }.reduce(0, +)
        return [
            Query(label: "rare word '\(words[rare])' (\(counts[rare]) times)", text: words[rare]),
            Query(label: "common word '\(words[common])' (\(counts[common].formatted()) times)", text: words[common]),
            Query(
                label: "two words '\(words[pair.0]) \(words[pair.1])' (\(counts[pair.0].formatted()), "
                    + "\(counts[pair.1].formatted()) times)",
                text: "\(words[pair.0]) \(words[pair.1])"),
            Query(
                label: "prefix '\(stem)' (\(sharing.count) words, \(occurrences.formatted()) times)", text: stem),
        ]
    }

    static func run(store: Store, userID: String, queries: [Query], report: inout Report) async throws {
        for query in queries {
            var hits = 0
            let timings = try await Timings.measure(runs: 50) {
                hits = try await store.search(userID: userID, query: query.text).count
            }
            report.latency("(c) search: \(query.label), \(hits) hits", timings, targetMs: 100)
        }
    }

    /// The worst case, shown without a target: a user whose only chat is old searches a common word, so the
    /// search walks the newer matches of everyone else's chats first.
    static func runSparse(store: Store, userID: String, query: Query, report: inout Report) async throws {
        var hits = 0
        let timings = try await Timings.measure(runs: 5, warmUp: 1) {
            hits = try await store.search(userID: userID, query: query.text).count
        }
        report.latency("(c) search: common word by a user with one old chat, \(hits) hits", timings, targetMs: nil)
    }
}
