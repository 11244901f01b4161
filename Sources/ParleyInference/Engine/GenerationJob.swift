import Synchronization

/// One request waiting for or running on a model; cancelled when its consumer goes away.
final class GenerationJob: Sendable {
    private let cancelled = Atomic<Bool>(false)
    let enqueued = ContinuousClock.now

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }
}

extension Duration {
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
