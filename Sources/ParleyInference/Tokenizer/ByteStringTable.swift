/// A hash table from byte strings to ids that looks keys up in place (no allocation per lookup),
/// with every key stored once in one buffer. Built from the vocabulary, it makes loading a large
/// vocabulary fast. Keys are only ever added from the model file, never from user input, so a
/// fixed hash function is safe here.
struct ByteStringTable: Sendable {
    private var arena: [UInt8] = []
    /// Entry `i` is `arena[starts[i]..<starts[i + 1]]`.
    private var starts: [Int32] = [0]
    private var values: [Int32] = []
    /// Entry index + 1 per slot (0: empty), and the key's hash.
    private var slots: [Int32]
    private var hashes: [UInt32]
    private var mask: Int

    var count: Int { values.count }

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        hashes = [UInt32](repeating: 0, count: size)
        mask = size - 1
        arena.reserveCapacity(capacity * 8)
        starts.reserveCapacity(capacity + 1)
        values.reserveCapacity(capacity)
    }

    /// The value stored for `key`.
    func value(for key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = Self.hash(key)
        var slot = Int(hash) & mask
        while true {
            let entry = Int(slots[slot]) - 1
            if entry < 0 { return nil }
            if hashes[slot] == hash && matches(entry, key) { return values[entry] }
            slot = (slot + 1) & mask
        }
    }

    func value(for key: [UInt8]) -> Int32? {
        key.withUnsafeBufferPointer { value(for: $0) }
    }

    /// Stores `value` for `key`, replacing any value it had.
    mutating func set(_ value: Int32, for key: UnsafeBufferPointer<UInt8>) {
        let hash = Self.hash(key)
        var slot = Int(hash) & mask
        while true {
            let entry = Int(slots[slot]) - 1
            if entry < 0 { break }
            if hashes[slot] == hash && matches(entry, key) {
                values[entry] = value
                return
            }
            slot = (slot + 1) & mask
        }
        arena.append(contentsOf: key)
        starts.append(Int32(arena.count))
        values.append(value)
        slots[slot] = Int32(values.count)
        hashes[slot] = hash
        if values.count * 2 > slots.count { grow() }
    }

    /// The value for `key`, storing `make()` first if it has none.
    mutating func value(for key: UnsafeBufferPointer<UInt8>, orInsert make: () -> Int32) -> Int32 {
        if let existing = value(for: key) { return existing }
        let value = make()
        set(value, for: key)
        return value
    }

    /// Every key with its value.
    func forEach(_ body: (UnsafeBufferPointer<UInt8>, Int32) -> Void) {
        arena.withUnsafeBufferPointer { arena in
            for entry in values.indices {
                let key = UnsafeBufferPointer(rebasing: arena[Int(starts[entry])..<Int(starts[entry + 1])])
                body(key, values[entry])
            }
        }
    }

    private func matches(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[entry])
        let end = Int(starts[entry + 1])
        guard end - start == key.count else { return false }
        return arena.withUnsafeBufferPointer { arena in
            var index = 0
            while index < key.count {
                if arena[start + index] != key[index] { return false }
                index += 1
            }
            return true
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var newSlots = [Int32](repeating: 0, count: size)
        var newHashes = [UInt32](repeating: 0, count: size)
        let newMask = size - 1
        for slot in slots.indices where slots[slot] != 0 {
            var target = Int(hashes[slot]) & newMask
            while newSlots[target] != 0 { target = (target + 1) & newMask }
            newSlots[target] = slots[slot]
            newHashes[target] = hashes[slot]
        }
        slots = newSlots
        hashes = newHashes
        mask = newMask
    }

    /// FNV-1a, folded to 32 bits.
    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key {
            value = (value ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        return UInt32(truncatingIfNeeded: value ^ (value >> 32))
    }
}
