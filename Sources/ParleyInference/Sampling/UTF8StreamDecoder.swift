/// Turns a stream of bytes (token pieces) into text, holding back a character split across tokens
/// until its last byte arrives. Invalid bytes become U+FFFD.
struct UTF8StreamDecoder: Sendable {
    private var pending: [UInt8] = []

    mutating func feed(_ bytes: [UInt8]) -> String {
        pending.append(contentsOf: bytes)
        let complete = pending.count - incompleteTail()
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Whatever is left, at the end of generation.
    mutating func flush() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Bytes at the end that start a character whose remaining bytes have not arrived yet.
    private func incompleteTail() -> Int {
        guard !pending.isEmpty else { return 0 }
        // A character is at most 4 bytes: look back at most 3 for its lead byte.
        for back in 1...min(3, pending.count) {
            let byte = pending[pending.count - back]
            if byte & 0xC0 == 0x80 { continue }  // continuation byte: keep looking for the lead
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return length > back ? back : 0
        }
        return 0
    }
}
