import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File operations of the model store: atomic replacement, the GGUF check, checksums.
enum ModelFiles {
    /// The first four bytes of every GGUF file.
    static let ggufMagic: [UInt8] = Array("GGUF".utf8)

    static func startsWithGGUFMagic(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4)) ?? Data()
        return Array(head) == ggufMagic
    }

    /// Moves `source` onto `destination` in one step (rename(2)): readers see the old file or the
    /// new one, never a partial one. Both must be on the same file system.
    static func replace(_ destination: URL, with source: URL) throws {
        guard rename(source.path, destination.path) == 0 else {
            throw ModelStoreError.io(
                "cannot move \(source.lastPathComponent) to \(destination.path): \(String(cString: strerror(errno)))")
        }
    }

    static func writeAtomically(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ModelStoreError.io("cannot write \(url.path): \(error.localizedDescription)")
        }
        do {
            try replace(url, with: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// The SHA-256 of a file, read in 4 MiB pieces.
    static func sha256(of url: URL, progress: ((Int64) -> Void)? = nil) throws -> String {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw ModelStoreError.io("cannot read \(url.path): \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var done: Int64 = 0
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 4 << 20) ?? Data()
            } catch {
                throw ModelStoreError.io("cannot read \(url.path): \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { hasher.update($0) }
            done += Int64(chunk.count)
            progress?(done)
        }
        return hasher.finalizeHex()
    }

    static func size(of url: URL) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }

    static func modified(_ url: URL) -> Date {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        return attributes?[.modificationDate] as? Date ?? Date(timeIntervalSince1970: 0)
    }

    /// Opens `url` for appending, creating it; the write position is at its end.
    static func openForAppending(_ url: URL) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw ModelStoreError.io("cannot create \(url.path)")
            }
        }
        do {
            let handle = try FileHandle(forUpdating: url)
            try handle.seekToEnd()
            return handle
        } catch {
            throw ModelStoreError.io("cannot open \(url.path): \(error.localizedDescription)")
        }
    }
}
