import ParleyCore
import Synchronization

/// Requests per minute, per subject (a user or a key), as token buckets: a subject may spend its whole
/// minute at once, then one request each 60/limit seconds.
///
/// Buckets live in this process: with several replicas behind a balancer each one allows the limit, so
/// set it per replica. (Counting each request in the shared database would cost a write per request.)
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    /// Buckets untouched this long are full again, and are dropped when the table grows.
    static let idleAfter: Duration = .seconds(120)
    static let pruneAbove = 50_000

    /// Takes one request from a subject's bucket; 429 with `Retry-After` when it is empty.
    func admit(subject: String, perMinute limit: Int?, who: String) throws {
        guard let limit, limit > 0 else { return }
        let now = ContinuousClock.now
        let rate = Double(limit) / 60
        let wait: Double? = buckets.withLock { buckets in
            if buckets.count > Self.pruneAbove {
                buckets = buckets.filter { now - $0.value.updated < Self.idleAfter }
            }
            var bucket = buckets[subject] ?? Bucket(tokens: Double(limit), updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(Double(limit), bucket.tokens + seconds * rate)
            bucket.updated = now
            defer { buckets[subject] = bucket }
            guard bucket.tokens >= 1 else { return (1 - bucket.tokens) / rate }
            bucket.tokens -= 1
            return nil
        }
        if let wait {
            throw ParleyError.rateLimited(
                "\(who) is limited to \(limit) requests a minute; try again shortly", retryAfter: max(1, Int(wait.rounded(.up))))
        }
    }
}

/// Slows password guessing: after `attempts` failures within 15 minutes for one username, or from one
/// address, further sign-ins are refused (429) until the window has passed, whatever the password.
final class LoginThrottle: Sendable {
    static let window: Duration = .seconds(15 * 60)
    private let failures = Mutex<[String: [ContinuousClock.Instant]]>([:])
    let attempts: Int

    init(attempts: Int) {
        self.attempts = attempts
    }

    /// 429 when either key has failed too often lately.
    func check(_ keys: [String]) throws {
        let now = ContinuousClock.now
        let wait: Duration? = failures.withLock { failures in
            var longest: Duration?
            for key in keys {
                let recent = (failures[key] ?? []).filter { now - $0 < Self.window }
                failures[key] = recent.isEmpty ? nil : recent
                if recent.count >= attempts, let oldest = recent.first {
                    let remaining = Self.window - (now - oldest)
                    longest = max(longest ?? .zero, remaining)
                }
            }
            return longest
        }
        if let wait {
            throw ParleyError.rateLimited(
                "too many failed sign-ins; try again later", retryAfter: max(1, Int(wait.components.seconds) + 1))
        }
    }

    func recordFailure(_ keys: [String]) {
        let now = ContinuousClock.now
        failures.withLock { failures in
            if failures.count > 100_000 { failures = [:] }
            for key in keys { failures[key, default: []].append(now) }
        }
    }

    func recordSuccess(username: String) {
        failures.withLock { $0[username] = nil }
    }
}
