import Foundation

/// Picks tokens from logits: penalties, then top-k, top-p and min-p filtering, then temperature,
/// then a seeded draw (llama.cpp's default order). Temperature 0 is greedy.
public struct Sampler: Sendable {
    public let settings: SamplingSettings
    private var generator: SeededGenerator

    public init(settings: SamplingSettings) {
        self.settings = settings
        var system = SystemRandomNumberGenerator()
        generator = SeededGenerator(seed: settings.seed ?? system.next())
    }

    /// The next token. `logits` is changed in place (penalties); `history` is the tokens so far
    /// (prompt and generated), for the penalties.
    public mutating func sample(logits: UnsafeMutableBufferPointer<Float>, history: ArraySlice<Int32>) -> Int32 {
        applyPenalties(logits, history: history.suffix(max(0, settings.penaltyWindow)))
        if settings.temperature <= 0 {
            return Int32(Self.argmax(logits))
        }
        var candidates = topCandidates(logits)
        filterTopP(&candidates)
        filterMinP(&candidates)
        return draw(candidates)
    }

    static func argmax(_ logits: UnsafeMutableBufferPointer<Float>) -> Int {
        var best = 0
        var bestValue = -Float.infinity
        for index in logits.indices where logits[index] > bestValue {
            best = index
            bestValue = logits[index]
        }
        return best
    }

    private func applyPenalties(_ logits: UnsafeMutableBufferPointer<Float>, history: ArraySlice<Int32>) {
        let repeatPenalty = Float(settings.repeatPenalty)
        let frequency = Float(settings.frequencyPenalty)
        let presence = Float(settings.presencePenalty)
        guard repeatPenalty != 1 || frequency != 0 || presence != 0, !history.isEmpty else { return }
        var counts: [Int32: Int] = [:]
        for token in history where token >= 0 && Int(token) < logits.count { counts[token, default: 0] += 1 }
        for (token, count) in counts {
            var logit = logits[Int(token)]
            if repeatPenalty != 1 { logit = logit > 0 ? logit / repeatPenalty : logit * repeatPenalty }
            logit -= Float(count) * frequency + presence
            logits[Int(token)] = logit
        }
    }

    /// The k best (or all) tokens, most likely first.
    private func topCandidates(_ logits: UnsafeMutableBufferPointer<Float>) -> [(token: Int32, logit: Float)] {
        let k = settings.topK > 0 ? min(settings.topK, logits.count) : logits.count
        var result: [(token: Int32, logit: Float)]
        if k < logits.count {
            // A min-heap of the k best seen so far: its root is the one to beat.
            var heap = TopKHeap(capacity: k)
            for index in logits.indices { heap.offer(token: Int32(index), logit: logits[index]) }
            result = heap.elements
        } else {
            result = logits.indices.map { (Int32($0), logits[$0]) }
        }
        result.sort { $0.logit > $1.logit || ($0.logit == $1.logit && $0.token < $1.token) }
        return result
    }

    private func filterTopP(_ candidates: inout [(token: Int32, logit: Float)]) {
        guard settings.topP < 1, candidates.count > 1 else { return }
        let probabilities = Self.softmax(candidates.map(\.logit))
        var cumulative = 0.0
        var keep = candidates.count
        for (index, probability) in probabilities.enumerated() {
            cumulative += probability
            if cumulative >= settings.topP {
                keep = index + 1
                break
            }
        }
        candidates.removeSubrange(keep...)
    }

    private func filterMinP(_ candidates: inout [(token: Int32, logit: Float)]) {
        guard settings.minP > 0, let best = candidates.first?.logit else { return }
        // p >= minP * pMax  <=>  logit >= best + ln(minP)
        let threshold = best + Float(log(settings.minP))
        let keep = candidates.firstIndex { $0.logit < threshold } ?? candidates.count
        candidates.removeSubrange(max(1, keep)...)
    }

    private mutating func draw(_ candidates: [(token: Int32, logit: Float)]) -> Int32 {
        let temperature = Float(settings.temperature)
        let probabilities = Self.softmax(candidates.map { $0.logit / temperature })
        let target = generator.nextUnit()
        var cumulative = 0.0
        for (index, probability) in probabilities.enumerated() {
            cumulative += probability
            if target < cumulative { return candidates[index].token }
        }
        return candidates[candidates.count - 1].token
    }

    static func softmax(_ logits: [Float]) -> [Double] {
        guard let maximum = logits.max() else { return [] }
        let exponentials = logits.map { exp(Double($0 - maximum)) }
        let sum = exponentials.reduce(0, +)
        return exponentials.map { $0 / sum }
    }
}

/// A bounded min-heap keeping the largest logits offered.
private struct TopKHeap {
    private(set) var elements: [(token: Int32, logit: Float)] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        elements.reserveCapacity(capacity)
    }

    mutating func offer(token: Int32, logit: Float) {
        if elements.count < capacity {
            elements.append((token, logit))
            siftUp(elements.count - 1)
        } else if logit > elements[0].logit {
            elements[0] = (token, logit)
            siftDown(0)
        }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard elements[child].logit < elements[parent].logit else { return }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < elements.count, elements[left].logit < elements[smallest].logit { smallest = left }
            if right < elements.count, elements[right].logit < elements[smallest].logit { smallest = right }
            guard smallest != parent else { return }
            elements.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
