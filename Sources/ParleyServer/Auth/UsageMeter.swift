import Foundation
import Logging
import ParleyCore
import ParleyStorage
import ServiceLifecycle
import Synchronization

/// Counts requests and tokens per user and per key for each UTC day, and enforces daily token budgets.
///
/// Counts are added in memory and written to the database once a second (and at shutdown), so a busy
/// gateway does not write a row per request; every replica adds its own counts to the same rows. A
/// budget check reads the database's count at most every few seconds, plus what this replica has not
/// yet written: replicas see each other's use within that delay.
final class UsageMeter: Service, Sendable {
    struct Pending: Hashable {
        var requests = 0
        var promptTokens = 0
        var completionTokens = 0
    }

    struct Known {
        var day: String
        var tokens: Int
        var readAt: ContinuousClock.Instant
    }

    private struct State {
        var pending: [String: Pending] = [:]
        var pendingDay = UsageDay.key()
        var known: [String: Known] = [:]
    }

    static let flushInterval: Duration = .seconds(1)
    static let rereadInterval: Duration = .seconds(5)

    let store: Store
    let logger: Logger
    private let state = Mutex(State())

    init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    private static let dayCache = Mutex<(number: Int, key: String)>((-1, ""))

    /// Today's `YYYY-MM-DD` in UTC, formatted once a day rather than on every request.
    static func today() -> String {
        let number = Int(Date().timeIntervalSince1970) / 86_400
        return dayCache.withLock { cache in
            if cache.number != number { cache = (number, UsageDay.key()) }
            return cache.key
        }
    }

    static func subject(user: String) -> String { "user:" + user }
    static func subject(key: String) -> String { "key:" + key }

    /// Adds one request's use to its subjects.
    func add(subjects: [String], requests: Int, promptTokens: Int, completionTokens: Int) {
        let day = Self.today()
        var spill: (String, [String: Pending])?
        state.withLock { state in
            if state.pendingDay != day, !state.pending.isEmpty {
                spill = (state.pendingDay, state.pending)
                state.pending = [:]
            }
            state.pendingDay = day
            for subject in subjects {
                state.pending[subject, default: Pending()].requests += requests
                state.pending[subject, default: Pending()].promptTokens += promptTokens
                state.pending[subject, default: Pending()].completionTokens += completionTokens
                if var known = state.known[subject], known.day == day {
                    known.tokens += promptTokens + completionTokens
                    state.known[subject] = known
                }
            }
        }
        if let (day, pending) = spill {
            Task { await self.write(day: day, pending) }
        }
    }

    /// 429 when a subject has used its daily budget; `Retry-After` is the time until the next UTC day.
    func checkBudget(subject: String, budget: Int?, who: String) async throws {
        guard let budget else { return }
        let day = Self.today()
        let now = ContinuousClock.now
        let cached: Int? = state.withLock { state in
            guard let known = state.known[subject], known.day == day, now - known.readAt < Self.rereadInterval else {
                return nil
            }
            return known.tokens
        }
        var used = cached ?? 0
        if cached == nil {
            let stored = try await store.tokensUsed(subject: subject, day: day)
            used = state.withLock { state in
                let pending = state.pendingDay == day ? state.pending[subject].map { $0.promptTokens + $0.completionTokens } : nil
                let total = stored + (pending ?? 0)
                state.known[subject] = Known(day: day, tokens: total, readAt: now)
                return total
            }
        }
        guard used >= budget else { return }
        throw ParleyError.rateLimited(
            "\(who) has used its daily budget of \(budget) tokens; it renews at midnight UTC",
            retryAfter: Self.secondsUntilMidnightUTC())
    }

    static func secondsUntilMidnightUTC(from date: Date = Date()) -> Int {
        let seconds = Int(date.timeIntervalSince1970)
        return 86_400 - seconds % 86_400
    }

    /// Writes what has been counted since the last write.
    func flush() async {
        let (day, pending) = state.withLock { state in
            let taken = (state.pendingDay, state.pending)
            state.pending = [:]
            return taken
        }
        await write(day: day, pending)
    }

    private func write(day: String, _ pending: [String: Pending]) async {
        // Subjects with equal counts (a user and the key they used) go in one statement each, one transaction.
        for (counts, subjects) in Dictionary(grouping: pending.keys, by: { pending[$0]! }) {
            do {
                try await store.addUsage(
                    subjects: subjects, day: day, requests: counts.requests, promptTokens: counts.promptTokens,
                    completionTokens: counts.completionTokens)
            } catch {
                logger.error("usage counts were not stored", metadata: ["parley.error": "\(error)"])
            }
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await Task.sleep(for: Self.flushInterval)
            await flush()
        }
        await flush()
    }
}

/// The subjects a request's use counts against (its key and its user, each with its daily budget), set on the
/// request context by the auth middleware.
struct UsageAccount: Sendable {
    let meter: UsageMeter
    let subjects: [(subject: String, budget: Int?, who: String)]

    /// A tally for one model call, after checking the budgets (429 when one is used up). The tally adds what it
    /// saw to the meter when it goes away, however the call ended (finished, failed, or the client left).
    func begin() async throws -> UsageTally {
        for (subject, budget, who) in subjects {
            try await meter.checkBudget(subject: subject, budget: budget, who: who)
        }
        return UsageTally(meter: meter, subjects: subjects.map(\.subject))
    }
}

extension ParleyRequestContext {
    /// Starts counting a model call against the request's budgets; nil outside the auth middleware.
    func beginUsage() async throws -> UsageTally? {
        try await usage?.begin()
    }
}

/// Tokens seen in one model call. When the provider reports no usage, each streamed piece counts as a token.
final class UsageTally: Sendable {
    private struct Counts {
        var usage: Usage?
        var pieces = 0
        var promptTokens = 0
    }

    let meter: UsageMeter
    let subjects: [String]
    private let counts = Mutex(Counts())

    init(meter: UsageMeter, subjects: [String]) {
        self.meter = meter
        self.subjects = subjects
    }

    func observe(_ event: ChatEvent) {
        switch event {
        case .usage(let usage): counts.withLock { $0.usage = usage }
        case .delta: counts.withLock { $0.pieces += 1 }
        default: break
        }
    }

    func observe(usage: Usage?) {
        counts.withLock { $0.usage = usage ?? $0.usage }
    }

    func observe(promptTokens: Int) {
        counts.withLock { $0.promptTokens += promptTokens }
    }

    deinit {
        let counts = counts.withLock { $0 }
        let prompt = counts.usage?.promptTokens ?? counts.promptTokens
        let completion = counts.usage?.completionTokens ?? counts.pieces
        meter.add(subjects: subjects, requests: 1, promptTokens: prompt, completionTokens: completion)
    }
}
