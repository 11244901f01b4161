import Foundation
import NIOCore
import NIOPosix
import ParleyCore
import Testing

@testable import ParleyProviders

/// The plain HTTP/1.1 client that `http://` upstreams go through, against a server that answers with
/// scripted bytes: connection reuse, upstreams that close, informational and malformed responses,
/// big chunked bodies read slowly, bodies let go of midway, and both timeouts.
@Suite("Plain HTTP/1.1 upstream connections")
struct PlainHTTPClientTests {
    static let chunk = 64 * 1024

    @Test func keptAliveConnectionsAreReused() async throws {
        let server = try await ScriptedHTTPServer { arrival in [.ok(#"{"n": \#(arrival.request)}"#)] }
        try await withClient { client in
            try await onOneLoop {
                for index in 0..<20 {
                    let (status, body) = try await post(client, server.port)
                    #expect(status == 200)
                    #expect(body == #"{"n": \#(index)}"#)
                }
            }
        }
        #expect(server.accepted == 1)
        await server.stop()
    }

    @Test func aKeptAliveConnectionTheUpstreamDroppedIsReplaced() async throws {
        // The second request on the first connection finds it closed (an upstream's keep-alive timeout
        // racing the request): it is sent once more, on a new connection.
        let server = try await ScriptedHTTPServer { arrival in
            arrival.connection == 0 && arrival.request == 1 ? [.close] : [.ok(#"{"ok": true}"#)]
        }
        try await postSucceeds(times: 3, to: server)
        #expect(server.accepted == 2)
        await server.stop()
    }

    @Test func aNewConnectionThatClosesIsAnErrorNotARetry() async throws {
        let server = try await ScriptedHTTPServer { _ in [.close] }
        try await withClient { client in
            let error = await #expect(throws: ParleyError.self) { try await post(client, server.port) }
            #expect(error?.status == 502)
            #expect(error?.message.contains("closed the connection") == true)
        }
        #expect(server.accepted == 1)
        await server.stop()
    }

    @Test func connectionCloseIsHonoured() async throws {
        let server = try await ScriptedHTTPServer { _ in [.ok("{}", headers: ["connection: close"])] }
        try await postSucceeds(times: 3, to: server)
        #expect(server.accepted == 3)
        try await eventually { server.closed == 3 }
        await server.stop()
    }

    @Test func informationalResponsesComeBeforeTheAnswer() async throws {
        let server = try await ScriptedHTTPServer { _ in [.write("HTTP/1.1 100 Continue\r\n\r\n"), .ok(#"{"ok": true}"#)] }
        try await withClient { client in
            let (status, body) = try await post(client, server.port)
            #expect(status == 200)
            #expect(body == #"{"ok": true}"#)
        }
        await server.stop()
    }

    @Test func aMalformedResponseIsA502() async throws {
        let server = try await ScriptedHTTPServer { _ in [.write("SURPRISE\r\n\r\n")] }
        try await withClient { client in
            let error = await #expect(throws: ParleyError.self) { try await post(client, server.port) }
            #expect(error?.status == 502)
            #expect(error?.message.contains("malformed HTTP response") == true)
        }
        await server.stop()
    }

    @Test func aBigChunkedBodyReadSlowlyArrivesWhole() async throws {
        // 5 MiB, far over what is buffered before the connection stops reading for the slow reader.
        let pieces = 80
        let server = try await ScriptedHTTPServer { _ in
            [.write("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")]
                + (0..<pieces).map { index in
                    .writeBytes(Array(String(Self.chunk, radix: 16).utf8) + [13, 10] + Self.piece(index) + [13, 10])
                } + [.write("0\r\n\r\n")]
        }
        try await withClient { client in
            try await onOneLoop {
                let response = try await client.send(.POST, "http://127.0.0.1:\(server.port)/", json: [], provider: "scripted") {
                    status, _ in ParleyError.upstream(status: status, message: "")
                }
                var received: [UInt8] = []
                var reads = 0
                for try await piece in response.body {
                    reads += 1
                    if reads < 4 { try await Task.sleep(for: .milliseconds(200)) }
                    received += piece.readableBytesView
                }
                #expect(received.count == pieces * Self.chunk)
                #expect(received == (0..<pieces).flatMap(Self.piece))
                // The connection is whole again: a second request goes over it.
                _ = try await client.send(.POST, "http://127.0.0.1:\(server.port)/", json: [], provider: "scripted") {
                    status, _ in ParleyError.upstream(status: status, message: "")
                }
            }
        }
        #expect(server.accepted == 1)
        await server.stop()
    }

    @Test func aBodyLetGoOfMidwayClosesItsConnection() async throws {
        let server = try await ScriptedHTTPServer { arrival in
            arrival.connection == 0
                ? [.write("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n"), .pause(milliseconds: 60_000)]
                : [.ok("{}")]
        }
        try await withClient { client in
            try await onOneLoop {
                try await readOnePieceAndLetGo(client, port: server.port)
                try await eventually { server.closed == 1 }
                // The next request does not get the half-read connection.
                let (status, _) = try await post(client, server.port)
                #expect(status == 200)
            }
        }
        #expect(server.accepted == 2)
        await server.stop()
    }

    @Test func anUpstreamThatSendsNothingTimesOut() async throws {
        let server = try await ScriptedHTTPServer { _ in [] }
        try await withClient(timeouts: UpstreamTimeouts(firstByte: .milliseconds(300))) { client in
            let error = await #expect(throws: ParleyError.self) { try await post(client, server.port) }
            #expect(error?.status == 504)
            #expect(error?.message.contains("sent no response") == true)
        }
        await server.stop()
    }

    @Test func anUpstreamThatGoesSilentMidBodyTimesOut() async throws {
        let server = try await ScriptedHTTPServer { _ in
            [.write("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n"), .pause(milliseconds: 60_000)]
        }
        try await withClient(timeouts: UpstreamTimeouts(idle: .milliseconds(300))) { client in
            let error = await #expect(throws: ParleyError.self) { try await post(client, server.port) }
            #expect(error?.status == 504)
            #expect(error?.message.contains("went silent") == true)
        }
        await server.stop()
    }

    @Test func streamedEventsThatArriveTogetherComeInOneBatch() async throws {
        // Twelve SSE frames, each its own chunk, written at once: the surface gets them as one batch
        // (one write to its client), in order, the same events as one at a time.
        let words = (0..<10).map { "w\($0) " }
        let frames =
            [#"data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#]
            + words.map { #"data: {"choices":[{"index":0,"delta":{"content":"\#($0)"}}]}"# }
            + [#"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#, "data: [DONE]"]
        let chunked = frames.map { frame in
            let text = frame + "\n\n"
            return String(text.utf8.count, radix: 16) + "\r\n" + text + "\r\n"
        }.joined()
        let server = try await ScriptedHTTPServer { _ in
            [.write("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n" + chunked + "0\r\n\r\n")]
        }
        try await withClient { client in
            let provider = OpenAICompatibleProvider(
                name: "scripted", baseURL: "http://127.0.0.1:\(server.port)/v1", apiKey: nil, client: client)
            let request = ChatRequest(model: "m", messages: [.user("hi")], stream: true)
            var batches: [[ChatEvent]] = []
            for try await batch in try await provider.chatInBatches(request) { batches.append(batch) }
            var single: [ChatEvent] = []
            for try await event in try await provider.chat(request) { single.append(event) }
            #expect(batches.count <= 2, "\(batches.map(\.count))")
            #expect(batches.flatMap { $0 } == single)
            #expect(single == words.map { .delta($0) } + [.finish(.stop)])
        }
        await server.stop()
    }

    @Test func onlyPlainHTTPURLsAreTargets() {
        let target = PlainHTTPClient.Target("http://127.0.0.1:11434/api/chat?x=1")
        #expect(target?.key == .init(host: "127.0.0.1", port: 11434))
        #expect(target?.path == "/api/chat?x=1")
        #expect(target?.hostHeader == "127.0.0.1:11434")
        #expect(PlainHTTPClient.Target("http://[::1]:8000/v1")?.key == .init(host: "::1", port: 8000))
        #expect(PlainHTTPClient.Target("http://[::1]/v1")?.key == .init(host: "::1", port: 80))
        #expect(PlainHTTPClient.Target("http://models.internal")?.path == "/")
        #expect(PlainHTTPClient.Target("http://models.internal?q")?.path == "/?q")
        #expect(PlainHTTPClient.Target("http://host/a#fragment")?.path == "/a")
        for refused in ["https://api.openai.com/v1", "http://user:secret@host/", "http://host:99999/", "http://host:x/", "http:///x", "ftp://h/"] {
            #expect(PlainHTTPClient.Target(refused) == nil, "\(refused)")
        }
    }

    // MARK: Helpers

    static func piece(_ index: Int) -> [UInt8] {
        [UInt8](repeating: UInt8(ascii: "a") + UInt8(index % 26), count: chunk)
    }

    private func readOnePieceAndLetGo(_ client: UpstreamClient, port: Int) async throws {
        let response = try await client.send(.POST, "http://127.0.0.1:\(port)/", json: [], provider: "scripted") {
            status, _ in ParleyError.upstream(status: status, message: "")
        }
        var iterator = response.body.makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first.map { String(buffer: $0) } == "first")
    }

    /// Posts `times` requests one after another from one loop, each answered 200.
    private func postSucceeds(times: Int, to server: ScriptedHTTPServer) async throws {
        try await withClient { client in
            try await onOneLoop {
                for _ in 0..<times {
                    let (status, _) = try await post(client, server.port)
                    #expect(status == 200)
                }
            }
        }
    }

    private func withClient(
        timeouts: UpstreamTimeouts = UpstreamTimeouts(), _ body: (UpstreamClient) async throws -> Void
    ) async throws {
        let client = UpstreamClient(timeouts: timeouts)
        do {
            try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// Runs `body` the way a request handler runs: on one event loop.
    private func onOneLoop<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(EventLoopTaskExecutor(MultiThreadedEventLoopGroup.singleton.next())) {
            try await body()
        }
    }

    private func post(_ client: UpstreamClient, _ port: Int) async throws -> (Int, String) {
        let response = try await client.send(
            .POST, "http://127.0.0.1:\(port)/v1/chat/completions", json: Array("{}".utf8), provider: "scripted"
        ) { status, _ in ParleyError.upstream(status: status, message: "status \(status)") }
        let data = try await UpstreamClient.collect(response.body, limit: 1 << 20, provider: "scripted", timeouts: client.timeouts)
        return (response.status, String(decoding: data, as: UTF8.self))
    }

    private func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<100 where !condition() { try await Task.sleep(for: .milliseconds(20)) }
        #expect(condition())
    }
}
