import Foundation

/// The models directory (`<data>/models`): the GGUF files the embedded engine can load, and a
/// manifest of where each came from and its SHA-256.
///
/// Files appear only complete: downloads and extractions write `<file>.partial` and rename it
/// into place once verified. Pulling is in `ModelStore+Pull.swift`.
public struct ModelStore: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// `$PARLEY_DATA/models`, else `~/.parley/models`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let data =
            environment["PARLEY_DATA"].flatMap { $0.isEmpty ? nil : $0 }
            .map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".parley")
        return data.appendingPathComponent("models")
    }

    /// The installed models, by name. Files the manifest does not know are listed under their own
    /// name, without a checksum.
    public func list() throws -> [InstalledModel] {
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        let manifest = try ModelManifest.read(from: directory)
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw ModelStoreError.io("cannot list \(directory.path): \(error.localizedDescription)")
        }
        return files.filter { $0.hasSuffix(".gguf") && !$0.hasPrefix(".") }.map { file in
            let url = directory.appendingPathComponent(file)
            let record = manifest.models[file]
            return InstalledModel(
                name: record?.name ?? String(file.dropLast(".gguf".count)),
                fileURL: url,
                sizeBytes: ModelFiles.size(of: url),
                modified: ModelFiles.modified(url),
                sha256: record?.sha256,
                source: record?.source)
        }.sorted { ($0.name, $0.fileName) < ($1.name, $1.fileName) }
    }

    /// The model with this name, file name, or file name without `.gguf` (exact match first, then
    /// ignoring case).
    public func find(_ name: String) throws -> InstalledModel? {
        let models = try list()
        func names(_ model: InstalledModel) -> [String] {
            [model.name, model.fileName, String(model.fileName.dropLast(".gguf".count))]
        }
        return models.first { names($0).contains(name) }
            ?? models.first { names($0).map { $0.lowercased() }.contains(name.lowercased()) }
    }

    /// Deletes an installed model and its manifest record.
    /// - Throws: `ModelStoreError` `.notFound` when no model has that name.
    @discardableResult
    public func remove(_ name: String) throws -> InstalledModel {
        guard let model = try find(name) else {
            throw ModelStoreError.notFound("no installed model is named '\(name)'")
        }
        try ModelManifest.update(in: directory) { manifest in
            do {
                try FileManager.default.removeItem(at: model.fileURL)
            } catch {
                throw ModelStoreError.io("cannot delete \(model.fileURL.path): \(error.localizedDescription)")
            }
            manifest.models[model.fileName] = nil
        }
        return model
    }

    /// Recomputes a model's SHA-256 and compares it with the recorded one.
    /// - Returns: false when the file changed since it was pulled; true when it matches or nothing
    ///   was recorded.
    public func verify(_ model: InstalledModel) throws -> Bool {
        guard let recorded = model.sha256 else { return true }
        return try ModelFiles.sha256(of: model.fileURL) == recorded
    }

    func createDirectory() throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ModelStoreError.io("cannot create \(directory.path): \(error.localizedDescription)")
        }
    }

    /// Renames a verified `.partial` file into place and records it.
    func install(_ partial: URL, as fileName: String, name: String, source: String, sha256: String) throws
        -> InstalledModel
    {
        let destination = directory.appendingPathComponent(fileName)
        let size = ModelFiles.size(of: partial)
        try ModelManifest.update(in: directory) { manifest in
            try ModelFiles.replace(destination, with: partial)
            // Another name pulled into the same file gives way to this one.
            manifest.models[fileName] = ModelManifest.Record(
                name: name, source: source, sha256: sha256, sizeBytes: size, installedAt: Date())
        }
        return InstalledModel(
            name: name, fileURL: destination, sizeBytes: size, modified: ModelFiles.modified(destination),
            sha256: sha256, source: source)
    }
}
