import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyCore

/// `parley ingest PATH_OR_URL... --collection NAME`: adds files and URLs to a knowledge collection of a
/// running Parley, through its API, and shows each document's progress until it is ready or failed.
///
/// It talks to the server rather than opening the database: the server runs the ingestion jobs with its
/// embedding model, checks who may write to the collection, and may be one of several replicas on
/// PostgreSQL that the command should not need to know about.
struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add files and URLs to a knowledge collection of a running Parley.",
        discussion: """
            Files may be PDF, CSV, Markdown, HTML or plain text; URLs must be http or https. The collection \
            is created when it does not exist. Exits non-zero when a document fails.
            """)

    @Argument(help: "Files and URLs to add.")
    var sources: [String]

    @Option(help: "The collection's name (created if needed).")
    var collection: String

    @Option(help: "The server's base URL (PARLEY_URL; default http://127.0.0.1:8080).")
    var server: String?

    @Option(help: "An API key for the server (PARLEY_API_KEY).")
    var apiKey: String?

    @Flag(help: "Return once the documents are queued, without waiting for them.")
    var noWait = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let api = IngestClient(
            baseURL: (server ?? environment["PARLEY_URL"] ?? "http://127.0.0.1:8080") + "/api/v1",
            apiKey: apiKey ?? environment["PARLEY_API_KEY"])
        do {
            try await ingest(api)
        } catch {
            try? await api.http.shutdown()
            throw error
        }
        try await api.http.shutdown()
    }

    private func ingest(_ api: IngestClient) async throws {
        let collectionID = try await api.collection(named: collection)
        var queued: [(label: String, id: String)] = []
        for source in sources {
            let document: JSONValue
            if source.hasPrefix("http://") || source.hasPrefix("https://") {
                document = try await api.send(
                    "POST", "/collections/\(collectionID)/documents", json: ["url": .string(source)])
            } else {
                let url = URL(fileURLWithPath: source)
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    throw IngestFailure("cannot read \(source)")
                }
                let name =
                    url.lastPathComponent.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "file"
                document = try await api.send(
                    "POST", "/collections/\(collectionID)/documents?filename=\(name)", body: data,
                    contentType: Self.contentType(of: url))
            }
            queued.append((source, document["id"]?.stringValue ?? ""))
        }
        guard !noWait else {
            for item in queued { print("\(item.label): queued (\(item.id))") }
            return
        }
        let progress = IngestProgress(labels: queued.map(\.label))
        var failures = 0
        var pending = Set(queued.indices)
        while !pending.isEmpty {
            for index in pending.sorted() {
                let document = try await api.send("GET", "/collections/\(collectionID)/documents/\(queued[index].id)")
                let status = document["status"]?.stringValue ?? "queued"
                progress.update(
                    index, status: status, fraction: document["progress"]?.doubleValue ?? 0,
                    detail: document["error"]?.stringValue
                        ?? document["chunk_count"]?.doubleValue.map { $0 == 1 ? "1 chunk" : "\(Int($0)) chunks" })
                if status == "ready" || status == "failed" {
                    pending.remove(index)
                    if status == "failed" { failures += 1 }
                }
            }
            if !pending.isEmpty { try await Task.sleep(for: .milliseconds(250)) }
        }
        progress.finish()
        if failures > 0 { throw ExitCode(1) }
    }

    static func contentType(of url: URL) -> String {
        switch url.pathExtension.lowercased() {
        case "pdf": return "application/pdf"
        case "csv": return "text/csv"
        case "md", "markdown": return "text/markdown"
        case "html", "htm": return "text/html"
        case "txt", "text": return "text/plain"
        default: return "application/octet-stream"
        }
    }
}

/// The few API calls `parley ingest` makes.
struct IngestClient {
    let baseURL: String
    let apiKey: String?
    let http = HTTPClient(eventLoopGroupProvider: .singleton)

    /// The id of the caller's collection named `name`, created when missing.
    func collection(named name: String) async throws -> String {
        let list = try await send("GET", "/collections")
        for item in list["items"]?.arrayValue ?? [] where item["name"]?.stringValue?.lowercased() == name.lowercased() {
            if let id = item["id"]?.stringValue { return id }
        }
        let created = try await send("POST", "/collections", json: ["name": .string(name)])
        guard let id = created["id"]?.stringValue else {
            throw IngestFailure("the server did not create the collection")
        }
        return id
    }

    func send(_ method: String, _ path: String, json: JSONValue) async throws -> JSONValue {
        try await send(method, path, body: json.jsonData(), contentType: "application/json")
    }

    func send(_ method: String, _ path: String, body: Data? = nil, contentType: String? = nil) async throws -> JSONValue
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        if let apiKey { request.headers.add(name: "authorization", value: "Bearer \(apiKey)") }
        if let contentType { request.headers.add(name: "content-type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(600))
        } catch {
            throw IngestFailure("cannot reach Parley at \(baseURL): \(error) (is `parley serve` running?)")
        }
        let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        let json = (try? JSONValue.parse(Array(bytes.readableBytesView))) ?? .null
        guard (200..<300).contains(Int(response.status.code)) else {
            let message = json["error"]?["message"]?.stringValue ?? "\(response.status)"
            throw IngestFailure("\(method) \(path): \(message)")
        }
        return json
    }
}

/// A failure of `parley ingest` at run time (printed without the usage text).
struct IngestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
