import Foundation
import Synchronization

/// Time-ordered identifiers (UUID version 7 layout, lower-case text): new rows sort after old ones,
/// which keeps indexes compact and makes ids usable as tie-breakers in cursors.
enum Identifier {
    /// The millisecond and counter of the last id made for "now". Ids made in the same millisecond
    /// count up in the 12 bits after the time (RFC 9562's fixed-length counter), so that a listing
    /// ordered by time then id shows rows in the order this process made them.
    private static let last = Mutex<(milliseconds: Int64, counter: UInt16)>((0, 0))

    static func make(at milliseconds: Int64 = Clock.nowMilliseconds()) -> String {
        let counter = last.withLock { last -> UInt16 in
            if milliseconds > last.milliseconds {
                // Start low so that the counter has room to count up within the millisecond.
                last = (milliseconds, UInt16.random(in: 0..<0x800))
                return last.counter
            }
            if milliseconds == last.milliseconds, last.counter < 0xFFF {
                last.counter += 1
                return last.counter
            }
            // An older time (an import), or 4,096 ids in one millisecond: no order to keep.
            return UInt16.random(in: 0...0xFFF)
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        let time = UInt64(max(0, milliseconds))
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: time >> (40 - 8 * UInt64(index))) }
        var random = SystemRandomNumberGenerator()
        for index in 8..<16 { bytes[index] = UInt8.random(in: 0...255, using: &random) }
        bytes[6] = 0x70 | UInt8(counter >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
