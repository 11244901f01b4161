import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ParleyCore
import ParleyServer
import ParleyTesting

/// Runs a real Parley (built by `buildApplication`) on a free loopback port, with a fresh data
/// directory, for the length of `body`.
func withParley<Value: Sendable>(
    _ configure: (inout ParleyConfiguration) -> Void = { _ in },
    _ body: (ParleyClient) async throws -> Value
) async throws -> Value {
    let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-test-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
    var configuration = ParleyConfiguration(dataDirectory: dataDirectory)
    configuration.port = 0
    configuration.providers = []
    configuration.defaultModel = nil
    configure(&configuration)
    var logger = Logger(label: "parley.test")
    logger.logLevel = .critical
    let finalConfiguration = configuration
    return try await withRunningApplication({ onRunning in
        try await buildApplication(configuration: finalConfiguration, logger: logger, onServerRunning: onRunning)
    }) { port in
        try await body(ParleyClient(baseURL: "http://127.0.0.1:\(port)"))
    }
}

/// The mock's OpenAI, Azure and Ollama faces as three providers of one Parley.
func mockProviders(_ mockURL: String) -> [ProviderConfiguration] {
    [
        ProviderConfiguration(name: "openai", kind: .openAICompatible, baseURL: "\(mockURL)/v1", apiKey: "sk-test"),
        ProviderConfiguration(
            name: "azure", kind: .azureOpenAI, baseURL: mockURL, apiKey: "azure-key", apiVersion: "2024-10-21",
            deployments: ["mock-azure"]),
        ProviderConfiguration(name: "ollama", kind: .ollama, baseURL: mockURL),
    ]
}

/// Runs the mock upstream and a Parley in front of it.
func withMockAndParley<Value: Sendable>(
    mock mockConfiguration: MockUpstream.Configuration = {
        var configuration = MockUpstream.Configuration()
        configuration.apiKey = "sk-test"
        configuration.azureAPIKey = "azure-key"
        return configuration
    }(),
    _ configure: @escaping (inout ParleyConfiguration) -> Void = { _ in },
    _ body: (MockUpstream, ParleyClient) async throws -> Value
) async throws -> Value {
    let mock = MockUpstream(configuration: mockConfiguration)
    return try await mock.run { mockURL in
        try await withParley({ configuration in
            configuration.providers = mockProviders(mockURL)
            configure(&configuration)
        }) { parley in
            try await body(mock, parley)
        }
    }
}

/// As ``withMockAndParley``, also giving the mock's base URL (to register it again at run time).
func withMockURLAndParley<Value: Sendable>(
    _ body: (_ mockURL: String, MockUpstream, ParleyClient) async throws -> Value
) async throws -> Value {
    var configuration = MockUpstream.Configuration()
    configuration.apiKey = "sk-test"
    configuration.azureAPIKey = "azure-key"
    let mock = MockUpstream(configuration: configuration)
    return try await mock.run { mockURL in
        try await withParley({ $0.providers = mockProviders(mockURL) }) { parley in
            try await body(mockURL, mock, parley)
        }
    }
}

/// A small HTTP client for the tests, over real loopback HTTP.
struct ParleyClient: Sendable {
    let baseURL: String
    /// Sent with every request (credentials: `Authorization`, `Cookie`, `X-CSRF-Token`).
    var headers: [String: String] = [:]

    /// The same client, sending `Authorization: Bearer <secret>`.
    func bearer(_ secret: String) -> ParleyClient {
        ParleyClient(baseURL: baseURL, headers: ["Authorization": "Bearer \(secret)"])
    }

    /// The same client with other headers.
    func with(_ headers: [String: String]) -> ParleyClient {
        ParleyClient(baseURL: baseURL, headers: headers)
    }

    /// Signs in with a password; the client returned sends the session cookie and its CSRF token.
    func signIn(_ username: String, _ password: String) async throws -> ParleyClient {
        let reply = try await with([:]).post("/api/v1/auth/login", json: ["username": .string(username), "password": .string(password)])
        guard reply.status == 200, let cookie = reply.headers["set-cookie"]?.split(separator: ";").first,
            let token = reply.json?["csrf_token"]?.stringValue
        else { throw ParleyError.unauthorized("sign-in failed: \(reply.status) \(reply.text)") }
        return with(["Cookie": String(cookie), "X-CSRF-Token": token])
    }

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data

        var json: JSONValue? { try? JSONValue.parse(body) }
        var text: String { String(decoding: body, as: UTF8.self) }
        /// `error.message` of an OpenAI error envelope.
        var errorMessage: String? { json?["error"]?["message"]?.stringValue }
        var errorCode: String? { json?["error"]?["code"]?.stringValue }
    }

    func get(_ path: String) async throws -> Reply {
        try await send(HTTPClientRequest(url: baseURL + path))
    }

    func post(_ path: String, json: JSONValue) async throws -> Reply {
        try await post(path, raw: json.jsonData())
    }

    func post(_ path: String, raw: Data, contentType: String = "application/json") async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "content-type", value: contentType)
        request.body = .bytes(ByteBuffer(data: raw))
        return try await send(request)
    }

    func patch(_ path: String, json: JSONValue) async throws -> Reply {
        try await send(path, method: .PATCH, json: json)
    }

    func put(_ path: String, json: JSONValue) async throws -> Reply {
        try await send(path, method: .PUT, json: json)
    }

    func delete(_ path: String) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .DELETE
        return try await send(request)
    }

    private func send(_ path: String, method: HTTPMethod, json: JSONValue) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: json.jsonData()))
        return try await send(request)
    }

    /// Named server-sent events (`event:` and `data:` lines) of a reply, in order.
    static func events(_ reply: Reply) -> [(name: String, data: JSONValue)] {
        reply.text.components(separatedBy: "\n\n").compactMap { block in
            var name = "message"
            var data: JSONValue?
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = try? JSONValue.parse(Array(line.dropFirst(6).utf8)) }
            }
            return data.map { (name, $0) }
        }
    }

    private func send(_ request: HTTPClientRequest) async throws -> Reply {
        var request = request
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        var body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), headers: headers, body: body.readData(length: body.readableBytes) ?? Data())
    }

    /// Posts a streaming request and returns the `data:` payloads of the SSE response, in order.
    func stream(_ path: String, json: JSONValue) async throws -> (status: Int, events: [String]) {
        let reply = try await post(path, json: json)
        let events = reply.text.components(separatedBy: "\n").compactMap { line -> String? in
            line.hasPrefix("data: ") ? String(line.dropFirst(6)) : nil
        }
        return (reply.status, events)
    }
}

/// A chat request body.
func chatBody(
    model: String, _ text: String, stream: Bool = false, extra: [String: JSONValue] = [:]
) -> JSONValue {
    var body: [String: JSONValue] = ["model": .string(model), "messages": [["role": "user", "content": .string(text)]]]
    if stream { body["stream"] = true }
    for (key, value) in extra { body[key] = value }
    return .object(body)
}

/// The text of a streamed answer, from its chunks.
func streamedText(_ events: [String]) -> String {
    events.compactMap { event in
        (try? JSONValue.parse(Array(event.utf8)))?["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue
    }.joined()
}

/// Where a test's Parley keeps its data (for looking at the database file from outside).
final class DataDirectoryBox: @unchecked Sendable {
    var path = ""
}

/// A Parley in auth mode `local` in front of the mock, with a first admin (`admin` / `admin-password`)
/// signed in. bcrypt runs at its lowest cost so that the tests sign in quickly.
func withLocalAuth<Value: Sendable>(
    _ configure: @escaping (inout ParleyConfiguration) -> Void = { _ in },
    _ body: (_ admin: ParleyClient, _ anonymous: ParleyClient, _ mock: MockUpstream) async throws -> Value
) async throws -> Value {
    try await withMockAndParley({ configuration in
        configuration.authMode = .local
        configuration.auth.adminPassword = "admin-password"
        configuration.auth.bcryptCost = 4
        configure(&configuration)
    }) { mock, parley in
        try await body(try await parley.signIn("admin", "admin-password"), parley, mock)
    }
}

/// Makes a user (as `admin`) and returns a client using a fresh API key of theirs, with the user's id.
func makeUser(
    _ name: String, admin: ParleyClient, role: String = "user", password: String = "user-password"
) async throws -> (client: ParleyClient, id: String) {
    let created = try await admin.post(
        "/api/v1/users", json: ["username": .string(name), "password": .string(password), "role": .string(role)])
    guard created.status == 201, let id = created.json?["id"]?.stringValue else {
        throw ParleyError.badRequest("could not make user \(name): \(created.status) \(created.text)")
    }
    let key = try await admin.post("/api/v1/keys", json: ["name": "test", "user_id": .string(id)])
    guard key.status == 201, let secret = key.json?["secret"]?.stringValue else {
        throw ParleyError.badRequest("could not make a key for \(name): \(key.status) \(key.text)")
    }
    return (admin.bearer(secret), id)
}
