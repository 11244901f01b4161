import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyCore
import ParleyTesting
import Testing

@Suite struct CancellationTests {
    /// Reads the first bytes of a slow stream, then goes away; the upstream must see its own
    /// stream cancelled soon after, rather than running to the end.
    @Test(arguments: ["openai/mock-gpt", "ollama/mock-llama"])
    func clientThatDisconnectsCancelsTheUpstreamStream(model: String) async throws {
        try await withMockAndParley { mock, parley in
            var request = HTTPClientRequest(url: parley.baseURL + "/v1/chat/completions")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            // 200 tokens, 50 ms apart: 10 seconds if nobody stops it.
            let body = chatBody(model: model, "[mock:tokens=200] [mock:delay=50]", stream: true)
            request.body = .bytes(ByteBuffer(data: body.jsonData()))
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let response = try await client.execute(request, timeout: .seconds(30))
                #expect(response.status == .ok)
                var received = 0
                for try await buffer in response.body {
                    received += buffer.readableBytes
                    if received > 200 { break }
                }
            }
            try await client.shutdown()
            // The mock notices at its next write (within one token delay, plus scheduling).
            var stats = mock.recorder.stats
            for _ in 0..<60 where stats.streamsCancelled == 0 {
                try await Task.sleep(for: .milliseconds(100))
                stats = mock.recorder.stats
            }
            #expect(stats.streamsStarted == 1)
            #expect(stats.streamsCancelled == 1)
            #expect(stats.streamsCompleted == 0)
        }
    }
}
