import Foundation
import Hummingbird
import NIOCore

/// A web server on loopback serving fixed documents, for tests of fetching URLs: pages, redirects,
/// errors and slow answers.
public struct DocumentServer: Sendable {
    /// One path's answer.
    public struct Page: Sendable {
        public var status: Int
        public var contentType: String
        public var body: Data
        /// A `Location` header (with a 3xx status).
        public var location: String?
        public var delay: Duration?

        public init(status: Int = 200, contentType: String, body: Data, location: String? = nil, delay: Duration? = nil)
        {
            self.status = status
            self.contentType = contentType
            self.body = body
            self.location = location
            self.delay = delay
        }

        public static func text(_ text: String, type: String = "text/html; charset=utf-8") -> Page {
            Page(contentType: type, body: Data(text.utf8))
        }

        public static func redirect(to location: String) -> Page {
            Page(status: 302, contentType: "text/plain", body: Data(), location: location)
        }
    }

    public var pages: [String: Page]

    public init(pages: [String: Page]) {
        self.pages = pages
    }

    /// Runs the server while `body` runs; `body` gets its base URL (`http://127.0.0.1:PORT`).
    public func run<Value: Sendable>(_ body: (_ baseURL: String) async throws -> Value) async throws -> Value {
        let pages = pages
        return try await withRunningApplication({ onRunning in
            let router = Router()
            router.get("**") { request, _ -> Response in
                guard let page = pages[request.uri.path] else {
                    return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "not found")))
                }
                if let delay = page.delay { try await Task.sleep(for: delay) }
                var headers = HTTPFields()
                headers[.contentType] = page.contentType
                if let location = page.location { headers[.location] = location }
                return Response(
                    status: .init(code: page.status), headers: headers,
                    body: .init(byteBuffer: ByteBuffer(bytes: page.body)))
            }
            return Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: onRunning)
        }) { port in
            try await body("http://127.0.0.1:\(port)")
        }
    }
}
