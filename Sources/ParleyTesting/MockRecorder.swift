import ParleyCore
import Synchronization

/// What the mock upstream saw: the last requests, and how its streams ended.
public final class MockRecorder: Sendable {
    public struct RecordedRequest: Sendable {
        public var method: String
        public var path: String
        public var headers: [String: String]
        public var body: JSONValue?
    }

    public struct Stats: Sendable, Equatable {
        public var streamsStarted = 0
        public var streamsCompleted = 0
        /// Streams whose client went away before the end.
        public var streamsCancelled = 0
    }

    private struct State {
        var requests: [RecordedRequest] = []
        var stats = Stats()
    }

    private let state = Mutex(State())
    private let capacity: Int

    public init(capacity: Int = 100) {
        self.capacity = capacity
    }

    func record(_ request: RecordedRequest) {
        state.withLock { state in
            state.requests.append(request)
            if state.requests.count > capacity { state.requests.removeFirst(state.requests.count - capacity) }
        }
    }

    func update(_ change: (inout Stats) -> Void) {
        state.withLock { change(&$0.stats) }
    }

    /// The requests seen, oldest first.
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }
    public var stats: Stats { state.withLock { $0.stats } }
    public var lastRequest: RecordedRequest? { state.withLock { $0.requests.last } }

    public func reset() {
        state.withLock { $0 = State() }
    }
}
