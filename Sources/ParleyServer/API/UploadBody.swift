import Hummingbird
import ParleyCore

/// The body of an upload, read up to a limit: its first bytes, and the size of the whole.
///
/// A file a little over the size for documents is still read to its end (and its surplus dropped), so
/// that it can become a failed document that says why; only a body over `limit` is refused outright.
struct UploadBody {
    /// The body, or its first bytes when it is larger than what was kept.
    var bytes: [UInt8]
    /// The size of the whole body.
    var size: Int

    var isWhole: Bool { bytes.count == size }

    /// Reads the body of `request`, keeping its first `keep` bytes.
    ///
    /// - Throws: ``ParleyError/payloadTooLarge(limit:)`` when the body is larger than `limit` bytes (by its
    ///   `Content-Length`, before reading any of it, or once that much has come).
    static func read(_ request: Request, keep: Int, limit: Int) async throws -> UploadBody {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw ParleyError.payloadTooLarge(limit: limit)
        }
        var body = UploadBody(bytes: [], size: 0)
        for try await buffer in request.body {
            body.size += buffer.readableBytes
            guard body.size <= limit else { throw ParleyError.payloadTooLarge(limit: limit) }
            if body.bytes.count < keep { body.bytes += buffer.readableBytesView.prefix(keep - body.bytes.count) }
        }
        return body
    }
}
