/// The spread of repeated timings of one operation.
struct Timings: Sendable {
    /// Seconds, sorted.
    let seconds: [Double]

    init(_ seconds: [Double]) { self.seconds = seconds.sorted() }

    var median: Double { percentile(50) }
    var p99: Double { percentile(99) }

    /// The nearest-rank percentile.
    func percentile(_ percent: Double) -> Double {
        guard !seconds.isEmpty else { return .nan }
        let rank = Int((percent / 100 * Double(seconds.count)).rounded(.up))
        return seconds[min(seconds.count, max(1, rank)) - 1]
    }

    /// Runs `body` `warmUp` times untimed, then `runs` times timed.
    static func measure(runs: Int, warmUp: Int = 2, _ body: () async throws -> Void) async throws -> Timings {
        for _ in 0..<warmUp { try await body() }
        var seconds: [Double] = []
        seconds.reserveCapacity(runs)
        for _ in 0..<runs {
            let start = ContinuousClock.now
            try await body()
            seconds.append((ContinuousClock.now - start).seconds)
        }
        return Timings(seconds)
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// Times one piece of work, for the seed log.
func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try await body()
    return (value, (ContinuousClock.now - start).seconds)
}
