import Foundation

/// `models/manifest.json`: what `pull` recorded about each file (name, source, checksum).
///
/// Updates take an exclusive lock on `models/.manifest.lock`, re-read the file, and replace it
/// with a rename, so concurrent pulls neither lose records nor leave a half-written manifest.
struct ModelManifest: Codable, Sendable, Equatable {
    struct Record: Codable, Sendable, Equatable {
        var name: String
        var source: String
        var sha256: String
        var sizeBytes: Int64
        var installedAt: Date
    }

    var version = 1
    /// Keyed by file name.
    var models: [String: Record] = [:]

    static func fileURL(in directory: URL) -> URL { directory.appendingPathComponent("manifest.json") }

    static func read(from directory: URL) throws -> ModelManifest {
        let url = fileURL(in: directory)
        guard FileManager.default.fileExists(atPath: url.path) else { return ModelManifest() }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(ModelManifest.self, from: Data(contentsOf: url))
        } catch {
            throw ModelStoreError.io("cannot read \(url.path): \(error.localizedDescription)")
        }
    }

    /// Reads, changes and writes the manifest under the directory's lock.
    static func update(in directory: URL, _ change: (inout ModelManifest) throws -> Void) throws {
        try FileLock.withExclusiveLock(directory.appendingPathComponent(".manifest.lock")) {
            var manifest = try read(from: directory)
            try change(&manifest)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            let data: Data
            do {
                data = try encoder.encode(manifest)
            } catch {
                throw ModelStoreError.io("cannot encode the manifest: \(error.localizedDescription)")
            }
            try ModelFiles.writeAtomically(data, to: fileURL(in: directory))
        }
    }
}
