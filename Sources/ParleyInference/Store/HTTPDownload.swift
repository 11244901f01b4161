import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP GET streamed into a file, resuming at the file's current end: `Range: bytes=N-` is
/// sent when the file has N bytes; a `206` answer is appended, a `200` answer replaces the file.
final class HTTPDownload: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// How the transfer ended when it did not end with the whole body in the file.
    enum Failure: Error {
        case status(Int)
        /// The server cannot serve from where the file ends (`416`): start over.
        case rangeNotSatisfiable
        case resumedAtWrongOffset
        case broken(String)
        case write(String)
    }

    private let lock = NSLock()
    private let file: FileHandle
    private let startOffset: Int64
    private let progress: (@Sendable (Int64, Int64?) -> Void)?
    private var written: Int64
    private var expectedTotal: Int64?
    private var failure: Failure?
    private var continuation: CheckedContinuation<Void, any Error>?

    private init(file: FileHandle, offset: Int64, progress: (@Sendable (Int64, Int64?) -> Void)?) {
        self.file = file
        self.startOffset = offset
        self.written = offset
        self.progress = progress
    }

    /// Downloads `url` into the open `file`, which already holds its first `offset` bytes.
    /// Progress reports bytes in the file and the full size when the server says it.
    /// - Returns: the size of the whole resource.
    static func run(
        _ url: URL,
        into file: FileHandle,
        offset: Int64,
        headers: [String: String],
        progress: (@Sendable (Int64, Int64?) -> Void)?
    ) async throws -> Int64 {
        let download = HTTPDownload(file: file, offset: offset, progress: progress)
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if offset > 0 { request.setValue("bytes=\(offset)-", forHTTPHeaderField: "Range") }
        // Models are already compressed; asking for identity keeps byte counts honest.
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 120
        configuration.timeoutIntervalForResource = 7 * 24 * 3600
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: download, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                download.lock.withLock { download.continuation = continuation }
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
        return download.lock.withLock { download.expectedTotal ?? download.written }
    }

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let outcome: Failure? = lock.withLock {
            switch status {
            case 206:
                let range = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Range")
                guard let (start, total) = range.flatMap(Self.parseContentRange), start == startOffset else {
                    failure = .resumedAtWrongOffset
                    return failure
                }
                expectedTotal =
                    total ?? (response.expectedContentLength >= 0 ? start + response.expectedContentLength : nil)
            case 200:
                do {
                    try file.truncate(atOffset: 0)
                } catch {
                    failure = .write("cannot restart the download: \(error.localizedDescription)")
                    return failure
                }
                written = 0
                expectedTotal = response.expectedContentLength >= 0 ? response.expectedContentLength : nil
            case 416:
                failure = .rangeNotSatisfiable
            default:
                failure = .status(status)
            }
            return failure
        }
        if outcome == nil, let progress { progress(lock.withLock { written }, lock.withLock { expectedTotal }) }
        completionHandler(outcome == nil ? .allow : .cancel)
    }

    /// Follows redirects (Hugging Face answers with one to its CDN), keeping the `Range`, but not
    /// sending credentials to another host.
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        var redirected = request
        if request.url?.host != task.originalRequest?.url?.host {
            redirected.setValue(nil, forHTTPHeaderField: "Authorization")
        }
        if let range = task.originalRequest?.value(forHTTPHeaderField: "Range") {
            redirected.setValue(range, forHTTPHeaderField: "Range")
        }
        completionHandler(redirected)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let state: (Int64, Int64?)? = lock.withLock {
            guard failure == nil else { return nil }
            do {
                try file.write(contentsOf: data)
            } catch {
                failure = .write(error.localizedDescription)
                return nil
            }
            written += Int64(data.count)
            return (written, expectedTotal)
        }
        guard let state else {
            dataTask.cancel()
            return
        }
        progress?(state.0, state.1)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, result): (CheckedContinuation<Void, any Error>?, Result<Void, any Error>) = lock.withLock {
            defer { self.continuation = nil }
            if let failure { return (self.continuation, .failure(failure)) }
            if let error {
                if (error as? URLError)?.code == .cancelled {
                    return (self.continuation, .failure(CancellationError()))
                }
                return (self.continuation, .failure(Failure.broken(error.localizedDescription)))
            }
            if let expectedTotal, written != expectedTotal {
                return (
                    self.continuation,
                    .failure(Failure.broken("the connection closed after \(written) of \(expectedTotal) bytes"))
                )
            }
            return (self.continuation, .success(()))
        }
        continuation?.resume(with: result)
    }

    /// `bytes START-END/TOTAL` (TOTAL may be `*`).
    private static func parseContentRange(_ value: String) -> (Int64, Int64?)? {
        let parts = value.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bytes" else { return nil }
        let rangeAndTotal = parts[1].split(separator: "/", maxSplits: 1)
        guard let range = rangeAndTotal.first, let dash = range.firstIndex(of: "-"),
            let start = Int64(range[..<dash])
        else { return nil }
        let total = rangeAndTotal.count == 2 ? Int64(rangeAndTotal[1]) : nil
        return (start, total)
    }
}
