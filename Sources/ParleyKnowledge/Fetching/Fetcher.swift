import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Fetches documents by URL, safely: http and https only; every hop's host is resolved and checked by
/// the ``AddressPolicy`` before connecting (redirects are followed here, one by one, never by the
/// client); plain-http requests go to the checked address itself, so a name that resolves differently
/// the second time cannot reach a refused one. Size, time and redirect limits apply, and the body goes to
/// a file as it arrives.
public struct Fetcher: Sendable {
    public struct Limits: Sendable {
        public var maxBytes: Int = 32 * 1024 * 1024
        public var timeout: Duration = .seconds(30)
        public var maxRedirects: Int = 5

        public init() {}
    }

    /// A fetched body in a file (the caller removes it), with what the server said it was.
    public struct Fetched: Sendable {
        public var path: String
        public var contentType: String?
        /// The URL after redirects.
        public var finalURL: String
        public var size: Int
    }

    let client: HTTPClient
    let policy: AddressPolicy
    let limits: Limits

    public init(client: HTTPClient, policy: AddressPolicy, limits: Limits) {
        self.client = client
        self.policy = policy
        self.limits = limits
    }

    /// A client for fetching documents: no redirects followed by itself, no proxy from the environment.
    public static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .enabled(limit: .ratio(50))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func fetch(_ url: String, into directory: String) async throws -> Fetched {
        var current = url
        for _ in 0...limits.maxRedirects {
            guard let components = URLComponents(string: current), let scheme = components.scheme?.lowercased(),
                let host = components.host, !host.isEmpty
            else { throw FetchError("not a URL: \(current)") }
            guard scheme == "http" || scheme == "https" else {
                throw FetchError("only http and https URLs can be fetched, not \(scheme)")
            }
            let addresses = try policy.resolve(host)
            var target = components
            var request: HTTPClientRequest
            if scheme == "http" {
                let address = addresses[0]
                target.host = address.isIPv4 ? address.description : "[\(address)]"
                request = HTTPClientRequest(url: target.string ?? current)
                let port = components.port.map { ":\($0)" } ?? ""
                request.headers.replaceOrAdd(name: "host", value: host + port)
            } else {
                // TLS needs the name to verify the certificate, so https connects by name: a name that
                // resolves to another address between the check and the connection (DNS rebinding) would
                // also need a certificate valid for it there, which internal services rarely have.
                request = HTTPClientRequest(url: current)
            }
            request.headers.add(name: "user-agent", value: "Parley-Knowledge/1")
            request.headers.add(
                name: "accept",
                value: "text/html, application/pdf, text/csv, text/markdown, text/plain;q=0.9, */*;q=0.1")
            let response: HTTPClientResponse
            do {
                response = try await client.execute(request, timeout: .milliseconds(limits.timeout.milliseconds))
            } catch {
                throw FetchError("cannot reach \(host): \(Self.describe(error))")
            }
            if (300..<400).contains(Int(response.status.code)), let location = response.headers.first(name: "location")
            {
                guard let next = URL(string: location, relativeTo: URL(string: current))?.absoluteString else {
                    throw FetchError("a redirect to an unreadable location: \(location)")
                }
                current = next
                continue
            }
            guard (200..<300).contains(Int(response.status.code)) else {
                throw FetchError("\(current) answered \(response.status.code) \(response.status.reasonPhrase)")
            }
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > limits.maxBytes {
                throw FetchError("the document is \(length) bytes, over the limit of \(limits.maxBytes)")
            }
            let path = (directory as NSString).appendingPathComponent("fetch-\(UUID().uuidString)")
            guard FileManager.default.createFile(atPath: path, contents: nil),
                let handle = FileHandle(forWritingAtPath: path)
            else { throw FetchError("cannot write \(path)") }
            var size = 0
            do {
                defer { try? handle.close() }
                for try await piece in response.body {
                    size += piece.readableBytes
                    guard size <= limits.maxBytes else {
                        throw FetchError("the document is over the limit of \(limits.maxBytes) bytes")
                    }
                    try handle.write(contentsOf: piece.readableBytesView)
                }
            } catch {
                try? FileManager.default.removeItem(atPath: path)
                if let error = error as? FetchError { throw error }
                throw FetchError("the download of \(current) failed: \(Self.describe(error))")
            }
            return Fetched(
                path: path, contentType: response.headers.first(name: "content-type"), finalURL: current, size: size)
        }
        throw FetchError("more than \(limits.maxRedirects) redirects")
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            default: return "\(error)"
            }
        }
        return "\(error)"
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
