import Foundation

/// Reads members of a zip file (a Python wheel): the central directory, ZIP64 sizes, and members
/// that are stored or deflated. The file is memory-mapped; members are streamed out, so a model of
/// any size passes through a few MiB of memory.
struct ZipArchive {
    struct Entry: Sendable, Hashable {
        var path: String
        var method: Int
        var flags: Int
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    let url: URL
    let entries: [Entry]
    private let data: Data

    init(url: URL) throws {
        self.url = url
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw ModelStoreError.archive("cannot read \(url.path): \(error.localizedDescription)")
        }
        entries = try data.withUnsafeBytes { try Self.readCentralDirectory($0, name: url.lastPathComponent) }
    }

    func entry(_ path: String) -> Entry? {
        entries.first { $0.path == path }
    }

    /// The text of a small member (a wheel's RECORD).
    func text(of entry: Entry) throws -> String {
        var bytes: [UInt8] = []
        _ = try extract(entry) { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Streams a member's bytes to `sink`, checking its size and CRC-32.
    @discardableResult
    func extract(_ entry: Entry, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard entry.flags & 1 == 0 else { throw ModelStoreError.archive("\(entry.path) is encrypted") }
        return try data.withUnsafeBytes { archive -> Int in
            let start = try dataStart(of: entry, in: archive)
            guard start + entry.compressedSize <= archive.count else {
                throw ModelStoreError.archive("\(entry.path) runs past the end of \(url.lastPathComponent)")
            }
            let compressed = UnsafeRawBufferPointer(rebasing: archive[start..<start + entry.compressedSize])
            var crc = CRC32()
            var written = 0
            let checkedSink: (UnsafeRawBufferPointer) throws -> Void = { piece in
                crc.update(piece)
                written += piece.count
                try sink(piece)
            }
            switch entry.method {
            case 0:
                try checkedSink(compressed)
            case 8:
                do {
                    try Inflater.inflate(compressed, sink: checkedSink)
                } catch let error as Inflater.DataError {
                    throw ModelStoreError.archive("\(entry.path) is corrupt: \(error.reason)")
                }
            default:
                throw ModelStoreError.archive(
                    "\(entry.path) uses zip compression method \(entry.method), not stored or deflate")
            }
            guard written == entry.uncompressedSize, crc.value == entry.crc32 else {
                throw ModelStoreError.archive("\(entry.path) failed its size or CRC-32 check")
            }
            return written
        }
    }

    private func dataStart(of entry: Entry, in archive: UnsafeRawBufferPointer) throws -> Int {
        let offset = entry.localHeaderOffset
        guard offset + 30 <= archive.count, Self.u32(archive, offset) == 0x0403_4B50 else {
            throw ModelStoreError.archive("bad local header for \(entry.path)")
        }
        return offset + 30 + Int(Self.u16(archive, offset + 26)) + Int(Self.u16(archive, offset + 28))
    }

    // MARK: - Central directory

    private static func u16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    private static func u32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    private static func u64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    private static func readCentralDirectory(_ bytes: UnsafeRawBufferPointer, name: String) throws -> [Entry] {
        func corrupt(_ what: String) -> ModelStoreError { .archive("\(name) is not a valid zip file: \(what)") }
        // The end-of-central-directory record is in the last 22 + 65535 bytes (its comment).
        guard bytes.count >= 22 else { throw corrupt("too short") }
        var end = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65535)
        while end >= lowest, u32(bytes, end) != 0x0605_4B50 { end -= 1 }
        guard end >= lowest else { throw corrupt("no end of central directory") }
        var count = Int(u16(bytes, end + 10))
        var directorySize = Int(u32(bytes, end + 12))
        var directoryOffset = Int(u32(bytes, end + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            let locator = end - 20
            guard locator >= 0, u32(bytes, locator) == 0x0706_4B50 else { throw corrupt("missing ZIP64 locator") }
            let record = Int(u64(bytes, locator + 8))
            guard record + 56 <= bytes.count, u32(bytes, record) == 0x0606_4B50 else {
                throw corrupt("bad ZIP64 end record")
            }
            count = Int(u64(bytes, record + 32))
            directorySize = Int(u64(bytes, record + 40))
            directoryOffset = Int(u64(bytes, record + 48))
        }
        guard directoryOffset + directorySize <= bytes.count else { throw corrupt("central directory out of range") }
        var entries: [Entry] = []
        var offset = directoryOffset
        for _ in 0..<count {
            guard offset + 46 <= bytes.count, u32(bytes, offset) == 0x0201_4B50 else {
                throw corrupt("bad central directory entry")
            }
            let nameLength = Int(u16(bytes, offset + 28))
            let extraLength = Int(u16(bytes, offset + 30))
            let commentLength = Int(u16(bytes, offset + 32))
            guard offset + 46 + nameLength + extraLength <= bytes.count else { throw corrupt("entry out of range") }
            let path = String(
                decoding: UnsafeRawBufferPointer(rebasing: bytes[(offset + 46)..<(offset + 46 + nameLength)]),
                as: UTF8.self)
            var entry = Entry(
                path: path, method: Int(u16(bytes, offset + 10)), flags: Int(u16(bytes, offset + 8)),
                crc32: u32(bytes, offset + 16), compressedSize: Int(u32(bytes, offset + 20)),
                uncompressedSize: Int(u32(bytes, offset + 24)), localHeaderOffset: Int(u32(bytes, offset + 42)))
            readZIP64Extra(bytes, from: offset + 46 + nameLength, length: extraLength, into: &entry)
            entries.append(entry)
            offset += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }

    /// ZIP64 keeps sizes and offsets that overflow 32 bits in extra field 0x0001, in this order,
    /// each present only when its 32-bit field is 0xFFFFFFFF.
    private static func readZIP64Extra(
        _ bytes: UnsafeRawBufferPointer, from start: Int, length: Int, into entry: inout Entry
    ) {
        var offset = start
        while offset + 4 <= start + length {
            let tag = u16(bytes, offset)
            let size = Int(u16(bytes, offset + 2))
            if tag == 0x0001 {
                var field = offset + 4
                if entry.uncompressedSize == 0xFFFF_FFFF, field + 8 <= offset + 4 + size {
                    entry.uncompressedSize = Int(u64(bytes, field))
                    field += 8
                }
                if entry.compressedSize == 0xFFFF_FFFF, field + 8 <= offset + 4 + size {
                    entry.compressedSize = Int(u64(bytes, field))
                    field += 8
                }
                if entry.localHeaderOffset == 0xFFFF_FFFF, field + 8 <= offset + 4 + size {
                    entry.localHeaderOffset = Int(u64(bytes, field))
                }
                return
            }
            offset += 4 + size
        }
    }
}
