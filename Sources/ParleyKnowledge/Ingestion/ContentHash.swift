import Crypto
import Foundation
import ParleyStorage

/// SHA-256 of a document's bytes, in hex: the same content twice is one document.
public enum ContentHash {
    public static func hex(of bytes: some DataProtocol) -> String {
        Secrets.hex(SHA256.hash(data: bytes))
    }
}
