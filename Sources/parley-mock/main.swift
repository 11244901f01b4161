import ArgumentParser
import Hummingbird
import ParleyTesting

/// The mock upstream on its own, for benchmarks and manual testing.
@main
struct ParleyMock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-mock",
        abstract: "A mock model server speaking OpenAI's, Azure OpenAI's and Ollama's wire formats.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 9090
    @Option(name: .customLong("token-delay-ms"), help: "Pause between streamed tokens, in milliseconds.") var tokenDelay = 0
    @Option(name: .customLong("api-key"), help: "Require this Bearer key on OpenAI routes.") var apiKey: String?

    func run() async throws {
        var configuration = MockUpstream.Configuration()
        configuration.host = host
        configuration.port = port
        configuration.tokenDelay = .milliseconds(tokenDelay)
        configuration.apiKey = apiKey
        let app = MockUpstream(configuration: configuration).buildApplication { channel in
            print("parley-mock listening on \(host):\(channel.localAddress?.port ?? port)")
        }
        try await app.runService()
    }
}
