import ParleyCore

extension ChatArchive {
    /// Checks the archive can be imported and returns the order to insert its messages in: parents before
    /// children, otherwise the order of `messages`.
    ///
    /// - Throws: `ParleyError.badRequest` for a bad title or tags, `ParleyError.unprocessable` for a tree
    ///   that is not one (empty or duplicate ids, a parent that is not in the archive, a cycle, an unknown
    ///   active leaf), naming the field (`messages[3].parent_id`).
    public func validatedInsertionOrder() throws -> [Int] {
        do {
            _ = try Store.validTitle(title)
            try Store.validate(tags: tags)
        } catch let error as ParleyError {
            throw ParleyError.badRequest("chat.\(error.message)", param: error.param.map { "chat.\($0)" })
        }
        var indexByID: [String: Int] = [:]
        indexByID.reserveCapacity(messages.count)
        for (index, message) in messages.enumerated() {
            guard !message.id.isEmpty else { throw Self.invalid(index, "id", "must not be empty") }
            guard indexByID.updateValue(index, forKey: message.id) == nil else {
                throw Self.invalid(index, "id", "another message has the id '\(message.id)'")
            }
        }
        var parentIndex = [Int?](repeating: nil, count: messages.count)
        for (index, message) in messages.enumerated() {
            guard let parentID = message.parentID else { continue }
            guard let parent = indexByID[parentID] else {
                throw Self.invalid(index, "parent_id", "no message '\(parentID)' in the archive")
            }
            guard parent != index else { throw Self.invalid(index, "parent_id", "a message cannot be its own parent") }
            parentIndex[index] = parent
        }
        if let leaf = activeLeafID, indexByID[leaf] == nil {
            throw ParleyError.unprocessable(
                "chat.active_leaf_id: no message '\(leaf)' in the archive", param: "chat.active_leaf_id")
        }
        let order = Self.insertionOrder(parentIndex: parentIndex)
        guard order.count == messages.count else { throw cycleError(parentIndex: parentIndex, placed: order) }
        return order
    }

    /// Places each message as soon as its parent is placed: one pass, children waiting on their parent.
    private static func insertionOrder(parentIndex: [Int?]) -> [Int] {
        var placed = [Bool](repeating: false, count: parentIndex.count)
        var waiting: [Int: [Int]] = [:]
        var order: [Int] = []
        order.reserveCapacity(parentIndex.count)
        for index in parentIndex.indices {
            if let parent = parentIndex[index], !placed[parent] {
                waiting[parent, default: []].append(index)
                continue
            }
            var stack = [index]
            while let next = stack.popLast() {
                placed[next] = true
                order.append(next)
                if let children = waiting.removeValue(forKey: next) { stack.append(contentsOf: children.reversed()) }
            }
        }
        return order
    }

    /// Every message left unplaced has an unplaced parent, so following parents from one of them must come
    /// back to a message already seen: that loop is the cycle, reported at its first message.
    private func cycleError(parentIndex: [Int?], placed order: [Int]) -> ParleyError {
        var isPlaced = [Bool](repeating: false, count: messages.count)
        for index in order { isPlaced[index] = true }
        var current = isPlaced.firstIndex(of: false)!
        var seenAt: [Int: Int] = [:]
        var walk: [Int] = []
        while seenAt[current] == nil, let parent = parentIndex[current] {
            seenAt[current] = walk.count
            walk.append(current)
            current = parent
        }
        let cycle = seenAt[current].map { walk[$0...] } ?? [current]
        let first = cycle.min()!
        return Self.invalid(first, "parent_id", "the parents of '\(messages[first].id)' form a cycle")
    }

    static func invalid(_ index: Int, _ field: String, _ problem: String) -> ParleyError {
        let param = "messages[\(index)].\(field)"
        return ParleyError.unprocessable("\(param): \(problem)", param: param)
    }
}
