/// Text as code points, with their Unicode flags and where each starts in the UTF-8.
struct DecodedText {
    var codepoints: [UInt32] = []
    var flags: [CodepointFlags] = []
    /// `byteOffsets[i]` is where code point `i` starts, relative to the input; one extra entry at the end.
    var byteOffsets: [Int] = []

    init(_ bytes: ArraySlice<UInt8>) {
        codepoints.reserveCapacity(bytes.count)
        flags.reserveCapacity(bytes.count)
        byteOffsets.reserveCapacity(bytes.count + 1)
        bytes.withUnsafeBufferPointer { buffer in
            var position = 0
            while position < buffer.count {
                byteOffsets.append(position)
                let (codepoint, length) = Self.decode(buffer, at: position)
                codepoints.append(codepoint)
                flags.append(CodepointFlags.of(codepoint))
                position += length
            }
            byteOffsets.append(buffer.count)
        }
    }

    /// One code point; a malformed sequence reads as U+FFFD for one byte, as in llama.cpp.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> (UInt32, Int) {
        let lead = UInt32(bytes[position])
        if lead < 0x80 { return (lead, 1) }
        let length: Int
        let initial: UInt32
        switch lead {
        case 0xC0...0xDF: (length, initial) = (2, lead & 0x1F)
        case 0xE0...0xEF: (length, initial) = (3, lead & 0x0F)
        case 0xF0...0xF7: (length, initial) = (4, lead & 0x07)
        default: return (0xFFFD, 1)
        }
        guard position + length <= bytes.count else { return (0xFFFD, 1) }
        var value = initial
        for offset in 1..<length {
            let continuation = UInt32(bytes[position + offset])
            guard continuation & 0xC0 == 0x80 else { return (0xFFFD, 1) }
            value = value << 6 | (continuation & 0x3F)
        }
        return (value, length)
    }
}
