import Foundation
import ParleyStorage
import Testing

@Suite("Timestamps")
struct TimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (999, "1970-01-01T00:00:00.999Z"),
        (86_399_999, "1970-01-01T23:59:59.999Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (1_795_000_000_123, "2026-11-18T11:06:40.123Z"),
        (4_102_444_799_999, "2099-12-31T23:59:59.999Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (-86_400_001, "1969-12-30T23:59:59.999Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ])
    func timesAreWrittenToTheMillisecond(milliseconds: Int64, text: String) {
        #expect(Timestamp(milliseconds: milliseconds).iso8601 == text)
    }

    @Test func aWrittenTimeReadsBackTheSame() throws {
        for milliseconds: Int64 in [0, 999, 1_795_000_000_123, 1_795_000_000_999] {
            let timestamp = Timestamp(milliseconds: milliseconds)
            let json = try JSONEncoder().encode([timestamp])
            #expect(String(decoding: json, as: UTF8.self) == "[\"\(timestamp.iso8601)\"]")
            #expect(try JSONDecoder().decode([Timestamp].self, from: json) == [timestamp])
        }
    }
}
