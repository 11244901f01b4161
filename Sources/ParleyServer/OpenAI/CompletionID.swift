import Synchronization

/// Completion ids like OpenAI's: `chatcmpl-` and 24 hex digits that look random and never repeat.
///
/// Eight digits are drawn once per process (replicas differ there); the other sixteen are a counter
/// passed through splitmix64's finaliser, a bijection, so no two ids of a process are equal. Drawing
/// random numbers for every id cost a system call each.
enum CompletionID {
    private static let processPart = UInt32.random(in: 0...UInt32.max)
    private static let seed = UInt64.random(in: 0...UInt64.max)
    private static let counter = Atomic<UInt64>(0)
    private static let prefix = Array("chatcmpl-".utf8)

    static func next() -> String {
        var value = counter.wrappingAdd(1, ordering: .relaxed).newValue &+ seed
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        value ^= value >> 31
        return String(unsafeUninitializedCapacity: prefix.count + 24) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for (index, byte) in prefix.enumerated() { buffer[index] = byte }
            digits.withUTF8Buffer { hex in
                for index in 0..<8 {
                    buffer[prefix.count + index] = hex[Int((processPart >> (28 - 4 * index)) & 0xf)]
                }
                for index in 0..<16 {
                    buffer[prefix.count + 8 + index] = hex[Int((value >> (60 - 4 * index)) & 0xf)]
                }
            }
            return prefix.count + 24
        }
    }
}
