/// The merge loop shared by byte-level BPE and SentencePiece: while some adjacent pair has a merge,
/// merge the pair with the lowest priority, the leftmost among equals — the order llama.cpp's
/// priority queues give.
enum SymbolMerger {
    /// A symbol after merging: its interned id and how many bytes of the input it covers.
    struct Symbol {
        var id: Int32
        var length: Int32
    }

    /// Short words (nearly all) are merged by scanning; long ones with a heap.
    static let scanLimit = 48

    static func merge(_ symbols: [Symbol], table: MergeTable) -> [Symbol] {
        symbols.count <= scanLimit ? mergeByScanning(symbols, table: table) : mergeWithHeap(symbols, table: table)
    }

    /// Quadratic, but with no bookkeeping: fastest for a few symbols.
    static func mergeByScanning(_ input: [Symbol], table: MergeTable) -> [Symbol] {
        var symbols = input
        guard symbols.count > 1 else { return symbols }
        var pairs: [MergeTable.Merge?] = (0..<(symbols.count - 1)).map {
            table.merge(symbols[$0].id, symbols[$0 + 1].id)
        }
        while true {
            var best = -1
            var bestPriority = Float.infinity
            for index in pairs.indices {
                if let pair = pairs[index], best < 0 || pair.priority < bestPriority {
                    best = index
                    bestPriority = pair.priority
                }
            }
            guard best >= 0, let merge = pairs[best] else { return symbols }
            symbols[best].id = merge.result
            symbols[best].length += symbols[best + 1].length
            symbols.remove(at: best + 1)
            pairs.remove(at: best)
            if best > 0 { pairs[best - 1] = table.merge(symbols[best - 1].id, symbols[best].id) }
            if best < pairs.count { pairs[best] = table.merge(symbols[best].id, symbols[best + 1].id) }
        }
    }

    /// O(n log n) for long inputs (a SentencePiece fragment is the whole text).
    static func mergeWithHeap(_ input: [Symbol], table: MergeTable) -> [Symbol] {
        var symbols = input
        let count = symbols.count
        guard count > 1 else { return symbols }
        var next = (0..<count).map { Int32($0 + 1 < count ? $0 + 1 : -1) }
        var previous = (0..<count).map { Int32($0 - 1) }
        var alive = [Bool](repeating: true, count: count)
        var queue = CandidateQueue()

        func consider(_ left: Int32, _ right: Int32) {
            guard left >= 0, right >= 0 else { return }
            let leftID = symbols[Int(left)].id
            let rightID = symbols[Int(right)].id
            guard let merge = table.merge(leftID, rightID) else { return }
            queue.push(
                .init(
                    priority: merge.priority, left: left, right: right, leftID: leftID, rightID: rightID,
                    result: merge.result))
        }

        for index in 0..<(count - 1) { consider(Int32(index), Int32(index + 1)) }
        while let candidate = queue.pop() {
            let left = Int(candidate.left)
            let right = Int(candidate.right)
            // Skip candidates that earlier merges made stale.
            guard alive[left], next[left] == candidate.right, symbols[left].id == candidate.leftID,
                symbols[right].id == candidate.rightID
            else { continue }
            symbols[left].id = candidate.result
            symbols[left].length += symbols[right].length
            alive[right] = false
            next[left] = next[right]
            if next[right] >= 0 { previous[Int(next[right])] = candidate.left }
            consider(previous[left], candidate.left)
            consider(candidate.left, next[left])
        }
        var result: [Symbol] = []
        var index: Int32 = 0
        while index >= 0 {
            result.append(symbols[Int(index)])
            index = next[Int(index)]
        }
        return result
    }
}
