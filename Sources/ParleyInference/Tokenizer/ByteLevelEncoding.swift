/// GPT-2's reversible map from bytes to printable characters, in which byte-level BPE vocabularies
/// are written: printable Latin-1 bytes stand for themselves, the other 68 bytes (controls, space,
/// DEL, NBSP, soft hyphen) become U+0100 onwards in byte order. So a space is "Ġ" (U+0120).
enum ByteLevelEncoding {
    /// The character each byte is written as.
    static let characterForByte: [Unicode.Scalar] = {
        var result = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 0x100
        for byte in 0..<256 {
            if isPrintable(byte) {
                result[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                result[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return result
    }()

    /// The UTF-8 of each byte's character.
    static let utf8ForByte: [[UInt8]] = characterForByte.map { Array(String($0).utf8) }

    /// The byte a character stands for, if it is one of the 256.
    static func byte(for character: Unicode.Scalar) -> UInt8? {
        let value = character.value
        if value < 256 && isPrintable(Int(value)) { return UInt8(value) }
        guard value >= 0x100 && value < 0x100 + 68 else { return nil }
        return unprintable[Int(value - 0x100)]
    }

    /// The text a byte-level token stands for, as bytes; nil when it has a character outside the map.
    static func decode(_ token: [UInt8]) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.count)
        for scalar in String(decoding: token, as: UTF8.self).unicodeScalars {
            guard let byte = byte(for: scalar) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    private static func isPrintable(_ byte: Int) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    private static let unprintable: [UInt8] = (0..<256).filter { !isPrintable($0) }.map { UInt8($0) }
}
