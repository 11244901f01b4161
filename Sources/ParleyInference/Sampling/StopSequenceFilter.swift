/// Passes generated text through until one of the stop strings appears, holding back any tail of
/// the text that could be the start of a stop string (so a stop string is never half-sent).
struct StopSequenceFilter: Sendable {
    private let stops: [[Unicode.Scalar]]
    private var pending: [Unicode.Scalar] = []
    private(set) var stopped = false

    init(stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }.map { Array($0.unicodeScalars) }
    }

    /// Adds text; returns what can be sent now. After a stop string, returns the text before it and
    /// sets `stopped`.
    mutating func feed(_ text: String) -> String {
        guard !stopped else { return "" }
        pending.append(contentsOf: text.unicodeScalars)
        if let cut = earliestStop() {
            stopped = true
            let before = String(String.UnicodeScalarView(pending[..<cut]))
            pending.removeAll()
            return before
        }
        let held = longestHeldTail()
        let ready = String(String.UnicodeScalarView(pending[..<(pending.count - held)]))
        pending.removeFirst(pending.count - held)
        return ready
    }

    /// What was held back, at the end of generation.
    mutating func flush() -> String {
        defer { pending.removeAll() }
        return stopped ? "" : String(String.UnicodeScalarView(pending))
    }

    private func earliestStop() -> Int? {
        var earliest: Int?
        for stop in stops where stop.count <= pending.count {
            for start in 0...(pending.count - stop.count) where earliest.map({ start < $0 }) ?? true {
                if pending[start..<(start + stop.count)].elementsEqual(stop) {
                    earliest = start
                    break
                }
            }
        }
        return earliest
    }

    /// Length of the longest tail of `pending` that is a proper prefix of some stop string.
    private func longestHeldTail() -> Int {
        var longest = 0
        for stop in stops {
            for length in stride(from: min(stop.count - 1, pending.count), to: longest, by: -1)
            where pending[(pending.count - length)...].elementsEqual(stop[..<length]) {
                longest = length
                break
            }
        }
        return longest
    }
}
