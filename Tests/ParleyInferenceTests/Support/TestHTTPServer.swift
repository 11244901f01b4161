import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small HTTP/1.1 server on a loopback port, for pulling models over real HTTP in tests.
/// Serves files with `Range` support, and can break a response off in the middle of its body.
final class TestHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        /// Header names in lowercase.
        var headers: [String: String]
    }

    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body = Data()
        /// Send only this many body bytes, then close (the declared length stays the full one).
        var cutAfter: Int?
    }

    typealias Handler = @Sendable (Request, _ attempt: Int) -> Response

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var handlers: [String: Handler] = [:]
    private var attempts: [String: Int] = [:]
    private var recorded: [Request] = []
    private var stopped = false

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw FixtureError("socket() failed") }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            close(descriptor)
            throw FixtureError("cannot listen on loopback")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        listener = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit {
        stop()
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// The requests received so far, in order.
    var requests: [Request] { lock.withLock { recorded } }

    func requests(to path: String) -> [Request] { requests.filter { $0.path == path } }

    func handle(_ path: String, _ handler: @escaping Handler) {
        lock.withLock { handlers[path] = handler }
    }

    /// Serves `data` at `path`, honouring `Range` unless `ignoreRange`; the first `cutFirst`
    /// responses are broken off after `cutAfter` body bytes.
    func serve(_ path: String, _ data: Data, ignoreRange: Bool = false, cutAfter: Int? = nil, cutFirst: Int = 1) {
        handle(path) { request, attempt in
            var response = ignoreRange ? Self.whole(data) : Self.ranged(data, request)
            if let cutAfter, attempt < cutFirst { response.cutAfter = cutAfter }
            return response
        }
    }

    static func whole(_ data: Data) -> Response {
        Response(status: 200, headers: [("Content-Type", "application/octet-stream")], body: data)
    }

    static func ranged(_ data: Data, _ request: Request) -> Response {
        guard let range = request.headers["range"], range.hasPrefix("bytes="),
            let start = Int(range.dropFirst("bytes=".count).split(separator: "-").first ?? "")
        else { return whole(data) }
        guard start < data.count else {
            return Response(status: 416, headers: [("Content-Range", "bytes */\(data.count)")])
        }
        return Response(
            status: 206,
            headers: [
                ("Content-Type", "application/octet-stream"),
                ("Content-Range", "bytes \(start)-\(data.count - 1)/\(data.count)"),
            ],
            body: data.subdata(in: start..<data.count))
    }

    func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        if wasRunning {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if lock.withLock({ stopped }) { return }
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in serveConnection(connection) }
            thread.start()
        }
    }

    private func serveConnection(_ connection: Int32) {
        defer { close(connection) }
        guard let request = readRequest(connection) else { return }
        let (handler, attempt): (Handler?, Int) = lock.withLock {
            recorded.append(request)
            let attempt = attempts[request.path, default: 0]
            attempts[request.path] = attempt + 1
            return (handlers[request.path], attempt)
        }
        let response = handler?(request, attempt) ?? Response(status: 404, body: Data("not found".utf8))
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        head += "Content-Length: \(response.body.count)\r\nConnection: close\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        guard sendAll(connection, Data(head.utf8)) else { return }
        let body = response.cutAfter.map { response.body.prefix($0) } ?? response.body
        _ = sendAll(connection, Data(body))
        shutdown(connection, Int32(SHUT_WR))
    }

    private func readRequest(_ connection: Int32) -> Request? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !buffer.ends(with: Array("\r\n\r\n".utf8)) {
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
            if buffer.count > 65536 { return nil }
        }
        let lines = String(decoding: buffer, as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers)
    }

    private func sendAll(_ connection: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                // MSG_NOSIGNAL: a client that hung up must not kill the test process with SIGPIPE.
                let sent = send(connection, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 206: return "Partial Content"
        case 302: return "Found"
        case 404: return "Not Found"
        case 416: return "Range Not Satisfiable"
        case 500: return "Internal Server Error"
        default: return "Status"
        }
    }
}

extension Array where Element: Equatable {
    fileprivate func ends(with suffix: [Element]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}
