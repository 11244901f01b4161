import HummingbirdBcrypt
import NIOPosix
import ParleyCore
import ParleyStorage
import Synchronization

/// Password rules and bcrypt, run on the blocking thread pool: a hash at cost 12 takes a quarter of a
/// second of CPU, which must not stall an event loop.
public enum Passwords {
    /// bcrypt reads only the first 72 bytes; a longer password would silently lose its end.
    public static let lengths = 8...72

    public static func validate(_ password: String, param: String = "password") throws {
        guard lengths.contains(password.utf8.count) else {
            throw ParleyError.badRequest("\(param): must be 8 to 72 bytes long", param: param)
        }
    }

    public static func hash(_ password: String, cost: Int) async throws -> String {
        try validate(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: UInt8(cost)) }
    }

    public static func verify(_ password: String, hash: String?) async throws -> Bool {
        // Without a user (or a password) bcrypt still runs, against a hash nobody's password matches, so
        // that the time taken does not tell which usernames exist.
        let target = hash ?? dummyHash
        let matched = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }
        return matched && hash != nil
    }

    private static let dummyStorage = Mutex<String?>(nil)
    private static var dummyHash: String {
        dummyStorage.withLock { stored in
            if let stored { return stored }
            let made = Bcrypt.hash(Secrets.make(), cost: 12)
            stored = made
            return made
        }
    }
}
