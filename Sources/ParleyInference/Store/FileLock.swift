import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory `flock` on a file, held by an open descriptor; the kernel drops it if the process dies.
final class FileLock {
    private let descriptor: Int32

    /// Locks `url` (creating it), waiting for other holders, or failing at once when `wait` is false.
    init(_ url: URL, wait: Bool) throws {
        descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ModelStoreError.io("cannot open \(url.path): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(descriptor)
            if code == EWOULDBLOCK {
                throw ModelStoreError.busy("\(url.lastPathComponent) is in use by another pull")
            }
            throw ModelStoreError.io("cannot lock \(url.path): \(String(cString: strerror(code)))")
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    static func withExclusiveLock<T>(_ url: URL, _ body: () throws -> T) throws -> T {
        let lock = try FileLock(url, wait: true)
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }
}
