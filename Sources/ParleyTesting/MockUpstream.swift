import Foundation
import Hummingbird
import Logging
import NIOCore
import ParleyCore

/// A model server on loopback that speaks OpenAI's, Azure OpenAI's and Ollama's wire formats, with
/// scripted replies, token rate, latency and faults (see ``MockScript``). Used by the tests and,
/// as `parley-mock`, by the benchmarks.
public struct MockUpstream: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port.
        public var port = 0
        public var openAIModels = ["mock-gpt", "mock-tools"]
        public var ollamaModels = ["mock-llama:latest", "mock-embed:latest"]
        public var azureDeployments = ["mock-azure"]
        /// When set, OpenAI-style routes require `Authorization: Bearer <key>`.
        public var apiKey: String?
        /// When set, Azure routes require `api-key: <key>`.
        public var azureAPIKey: String?
        /// Pause between streamed tokens unless a request says otherwise.
        public var tokenDelay: Duration = .zero
        public var embeddingDimensions = 8

        public init() {}
    }

    public let configuration: Configuration
    public let recorder: MockRecorder

    public init(configuration: Configuration = Configuration(), recorder: MockRecorder = MockRecorder()) {
        self.configuration = configuration
        self.recorder = recorder
    }

    /// The mock as a Hummingbird application.
    public func buildApplication(
        logger: Logger = Logger(label: "parley.mock"),
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: MockRecordingMiddleware(recorder: recorder))
        addOpenAIRoutes(to: router)
        addAzureRoutes(to: router)
        addOllamaRoutes(to: router)
        router.get("mock/stats") { _, _ -> Response in
            let stats = recorder.stats
            return Self.json([
                "streams_started": .number(Double(stats.streamsStarted)),
                "streams_completed": .number(Double(stats.streamsCompleted)),
                "streams_cancelled": .number(Double(stats.streamsCancelled)),
            ])
        }
        router.get("mock/requests") { _, _ -> Response in
            let requests: [JSONValue] = recorder.requests.map { request in
                [
                    "method": .string(request.method), "path": .string(request.path),
                    "headers": .object(request.headers.mapValues { .string($0) }), "body": request.body ?? nil,
                ]
            }
            return Self.json(.array(requests))
        }
        router.delete("mock/requests") { _, _ -> Response in
            recorder.reset()
            return Response(status: .noContent)
        }
        var logger = logger
        logger.logLevel = .warning
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "mock"),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(data: value.jsonData()))
        )
    }

    static func parseBody(_ request: inout Request) async throws -> JSONValue {
        let buffer = try await request.collectBody(upTo: 16 * 1024 * 1024)
        do {
            return try JSONValue.parse(buffer.readableBytesView)
        } catch {
            throw HTTPError(.badRequest, message: "mock: malformed JSON")
        }
    }

    /// Runs the script's latency and fault that apply before any byte is sent.
    static func applyPreResponseScript(_ script: MockScript) async throws -> Response? {
        if let latency = script.latencyMilliseconds {
            try await Task.sleep(for: .milliseconds(latency))
        }
        switch script.fault {
        case .hang:
            try await Task.sleep(for: .seconds(3600))
            return nil
        default:
            return nil
        }
    }

    /// A whole (non-streamed) JSON answer, broken as the script says: `malformed` sends half a
    /// document, `drop` cuts the connection mid-body, `stall` goes silent mid-body.
    static func wholeAnswer(_ value: JSONValue, script: MockScript) -> Response {
        let data = value.jsonData()
        let half = ByteBuffer(bytes: data.prefix(data.count / 2))
        switch script.fault {
        case .malformed:
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: half))
        case .drop, .stall:
            let fault = script.fault
            return Response(
                status: .ok, headers: [.contentType: "application/json", .contentLength: String(data.count)],
                body: ResponseBody { writer in
                    try await writer.write(half)
                    if fault == .stall { try await Task.sleep(for: .seconds(3600)) }
                    throw MockUpstream.DroppedConnection()
                })
        default:
            return json(value)
        }
    }

    /// Streams pre-rendered lines with the script's token delay, breaking the stream after two lines as
    /// the script's fault says, and counting how the stream ended.
    func streamResponse(contentType: String, lines: [String], malformedLine: String, script: MockScript) -> Response {
        let delay = tokenDelay(for: script)
        let recorder = self.recorder
        return Response(
            status: .ok,
            headers: [.contentType: contentType, .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                recorder.update { $0.streamsStarted += 1 }
                do {
                    for (index, line) in lines.enumerated() {
                        if index > 0, delay > .zero { try await Task.sleep(for: delay) }
                        if index == 2 {
                            switch script.fault {
                            case .malformed:
                                try await writer.write(ByteBuffer(string: malformedLine))
                                try await writer.finish(nil)
                                recorder.update { $0.streamsCompleted += 1 }
                                return
                            case .drop: throw DroppedConnection()
                            case .stall: try await Task.sleep(for: .seconds(3600))
                            default: break
                            }
                        }
                        try await writer.write(ByteBuffer(string: line))
                    }
                    try await writer.finish(nil)
                    recorder.update { $0.streamsCompleted += 1 }
                } catch let error as DroppedConnection {
                    throw error
                } catch {
                    recorder.update { $0.streamsCancelled += 1 }
                    throw error
                }
            })
    }

    func tokenDelay(for script: MockScript) -> Duration {
        script.tokenDelayMilliseconds.map { .milliseconds($0) } ?? configuration.tokenDelay
    }

    /// The text of the last user message in an OpenAI or Ollama `messages` array.
    static func lastUserText(_ body: JSONValue) -> String {
        guard let messages = body["messages"]?.arrayValue else { return body["prompt"]?.stringValue ?? "" }
        for message in messages.reversed() where message["role"]?.stringValue == "user" {
            if let text = message["content"]?.stringValue { return text }
            if let parts = message["content"]?.arrayValue {
                return parts.compactMap { $0["text"]?.stringValue }.joined(separator: " ")
            }
        }
        return ""
    }

    static func promptTokens(_ body: JSONValue) -> Int {
        let messages = body["messages"]?.arrayValue ?? []
        return messages.reduce(0) { total, message in
            let text = message["content"]?.stringValue
                ?? message["content"]?.arrayValue?.compactMap { $0["text"]?.stringValue }.joined(separator: " ")
                ?? ""
            return total + MockScript.countTokens(text) + 1
        } + MockScript.countTokens(body["prompt"]?.stringValue ?? "")
    }

    /// A deterministic unit vector for a text.
    public static func embedding(of text: String, dimensions: Int) -> [Double] {
        var state: UInt64 = 1_469_598_103_934_665_603
        for byte in text.utf8 {
            state = (state ^ UInt64(byte)) &* 1_099_511_628_211
        }
        var values: [Double] = []
        for _ in 0..<dimensions {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Double(Int64(bitPattern: state >> 11) % 1000) / 1000)
        }
        let norm = max(values.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-9)
        return values.map { $0 / norm }
    }
}

/// Records every request the mock receives (headers and JSON body) for tests to inspect.
struct MockRecordingMiddleware<Context: RequestContext>: RouterMiddleware {
    let recorder: MockRecorder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !request.uri.path.hasPrefix("/mock/") else { return try await next(request, context) }
        var request = request
        let buffer = try await request.collectBody(upTo: 16 * 1024 * 1024)
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = field.value
        }
        recorder.record(
            .init(
                method: request.method.rawValue,
                path: request.uri.description,
                headers: headers,
                body: try? JSONValue.parse(buffer.readableBytesView)
            )
        )
        return try await next(request, context)
    }
}
