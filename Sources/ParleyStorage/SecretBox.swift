import Crypto
import Foundation
import ParleyCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Encrypts secrets kept in the database (provider API keys) with AES-GCM, so that a copy of the
/// database, or of a backup, holds no usable credential.
///
/// The key comes from `PARLEY_SECRET_KEY` (32 bytes in base64, or any passphrase, which is hashed to
/// 32 bytes), or else from `secret.key` in the data directory, made once with mode 0600. Replicas
/// that share a PostgreSQL database must share the key too; ``Store`` checks that at start-up.
public struct SecretBox: Sendable {
    /// Marks an encrypted value; anything else in a secret column is plaintext from before encryption.
    static let prefix = "aesgcm1:"
    static let fileName = "secret.key"

    private let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    /// The key given as text (`PARLEY_SECRET_KEY`), or the data directory's key file, made if missing.
    public static func resolve(secretKey: String?, dataDirectory: String) throws -> SecretBox {
        if let secretKey, !secretKey.isEmpty {
            if let bytes = Data(base64Encoded: secretKey), bytes.count == 32 {
                return SecretBox(key: SymmetricKey(data: bytes))
            }
            return SecretBox(key: SymmetricKey(data: SHA256.hash(data: Data(secretKey.utf8))))
        }
        return SecretBox(key: try keyFile(in: dataDirectory))
    }

    /// Reads the key file, or makes it: created exclusively, so two processes starting at once agree on one.
    static func keyFile(in dataDirectory: String) throws -> SymmetricKey {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent(fileName).path
        let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
        try createExclusively(path: path, text: fresh)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32
        else {
            throw ParleyError.internal("the secret key file \(path) is not 32 bytes of base64; restore it or set PARLEY_SECRET_KEY")
        }
        return SymmetricKey(data: bytes)
    }

    /// Writes a new file readable by its owner only; an existing file is left as it is.
    private static func createExclusively(path: String, text: String) throws {
        #if canImport(Glibc)
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        #else
        let descriptor = Darwin.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        #endif
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let written = text.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
        guard written == text.utf8.count else {
            unlink(path)
            throw ParleyError.internal("could not write the secret key file \(path)")
        }
    }

    /// The stored form of a secret; nil stays nil.
    public func seal(_ plaintext: String?) throws -> String? {
        guard let plaintext, !plaintext.isEmpty else { return nil }
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: key)
        guard let combined = box.combined else { throw ParleyError.internal("AES-GCM gave no combined box") }
        return Self.prefix + combined.base64EncodedString()
    }

    /// The secret from its stored form. Plaintext from before encryption is returned as it is.
    public func open(_ stored: String?) throws -> String? {
        guard let stored, !stored.isEmpty else { return nil }
        guard stored.hasPrefix(Self.prefix) else { return stored }
        guard let combined = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))),
            let box = try? AES.GCM.SealedBox(combined: combined),
            let plain = try? AES.GCM.open(box, using: key)
        else {
            throw ParleyError.internal(
                "a stored secret cannot be decrypted with this secret key: every replica must use the same PARLEY_SECRET_KEY")
        }
        return String(decoding: plain, as: UTF8.self)
    }

    static func isSealed(_ stored: String) -> Bool { stored.hasPrefix(prefix) }
}
