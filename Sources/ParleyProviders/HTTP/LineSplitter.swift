import NIOCore

/// Cuts a byte stream into lines (`\n`, with an optional `\r` before it), however the bytes are
/// split across buffers. Used for SSE and NDJSON bodies.
struct LineSplitter {
    private var pending: [UInt8] = []
    /// A line longer than this is an upstream fault, not something to buffer forever.
    let maxLineLength: Int

    init(maxLineLength: Int = 16 * 1024 * 1024) {
        self.maxLineLength = maxLineLength
    }

    struct LineTooLong: Error {}

    /// Adds bytes and returns the lines they complete, without their line ends.
    mutating func push(_ buffer: ByteBuffer) throws -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        buffer.withUnsafeReadableBytes { bytes in
            var start = 0
            for index in 0..<bytes.count where bytes[index] == UInt8(ascii: "\n") {
                var line: ArraySlice<UInt8>
                if pending.isEmpty {
                    line = ArraySlice(bytes[start..<index])
                } else {
                    pending.append(contentsOf: bytes[start..<index])
                    line = ArraySlice(pending)
                    pending.removeAll(keepingCapacity: true)
                }
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                lines.append(line)
                start = index + 1
            }
            if start < bytes.count { pending.append(contentsOf: bytes[start..<bytes.count]) }
        }
        if pending.count > maxLineLength { throw LineTooLong() }
        return lines
    }

    /// Whatever is left after the last line end.
    mutating func finish() -> ArraySlice<UInt8>? {
        defer { pending = [] }
        return pending.isEmpty ? nil : ArraySlice(pending)
    }
}
