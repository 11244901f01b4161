import Foundation
import ParleyServer
import Testing

@Suite struct ConfigurationTests {
    func write(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parley-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsProvidersAliasesAndSecretsFromTheFile() throws {
        let path = try write(
            """
            default_model: ollama/mistral
            upstream:
              idle_timeout: 90s
            providers:
              - name: local
                kind: embedded
              - name: ollama
                kind: ollama
                base_url: http://localhost:11434
              - name: openai
                kind: openai-compatible
                base_url: https://api.openai.com/v1
                api_key: ${TEST_OPENAI_KEY}
              - name: azure
                kind: azure-openai
                base_url: https://my-instance.openai.azure.com
                api_key: ${TEST_AZURE_KEY}
                api_version: "2024-10-21"
                deployments: [gpt-4o-mini]
            aliases:
              gpt-3.5-turbo: ollama/mistral
            """)
        let configuration = try ConfigurationLoader.load(
            commandLine: [:], environment: ["TEST_OPENAI_KEY": "sk-1", "TEST_AZURE_KEY": "az-2"], configPath: path)
        #expect(configuration.defaultModel == "ollama/mistral")
        #expect(configuration.upstreamTimeouts.idle == .seconds(90))
        #expect(configuration.providers.map(\.name) == ["local", "ollama", "openai", "azure"])
        #expect(configuration.providers[2].apiKey == "sk-1")
        #expect(configuration.providers[3].apiKey == "az-2")
        #expect(configuration.providers[3].deployments == ["gpt-4o-mini"])
        #expect(configuration.aliases == ["gpt-3.5-turbo": "ollama/mistral"])
    }

    @Test func commandLineBeatsEnvironmentBeatsFile() throws {
        let path = try write("port: 7000\nhost: 127.0.0.2\nlog_level: debug\n")
        let fileOnly = try ConfigurationLoader.load(commandLine: [:], environment: [:], configPath: path)
        #expect(fileOnly.port == 7000)
        let withEnvironment = try ConfigurationLoader.load(
            commandLine: [:], environment: ["PARLEY_PORT": "7001", "PARLEY_UPSTREAM_CONNECT_TIMEOUT": "250ms"], configPath: path)
        #expect(withEnvironment.port == 7001)
        #expect(withEnvironment.host == "127.0.0.2")
        #expect(withEnvironment.upstreamTimeouts.connect == .milliseconds(250))
        let withCommandLine = try ConfigurationLoader.load(
            commandLine: ["port": "7002"], environment: ["PARLEY_PORT": "7001"], configPath: path)
        #expect(withCommandLine.port == 7002)
        #expect(withCommandLine.logLevel == .debug)
    }

    @Test func noConfigurationMeansTheEmbeddedDefault() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("parley-empty-\(UUID().uuidString)").path
        let configuration = try ConfigurationLoader.load(commandLine: ["data": data], environment: [:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.providers.map(\.kind) == [.embedded])
        #expect(configuration.defaultModel == "smollm2")
        #expect(configuration.authMode == .none)
    }

    @Test(arguments: [
        ("provders: []", "provders", "unknown setting"),
        ("port: eighty", "port", "not a whole number"),
        ("upstream:\n  idle_timeout: soon", "upstream.idle_timeout", "not a duration"),
        ("providers:\n  - name: x\n    kind: olama\n    base_url: http://h", "providers[0].kind", "'olama' is not a provider kind"),
        ("providers:\n  - name: x\n    kind: ollama", "providers[0].base_url", "missing"),
        ("providers:\n  - name: a/b\n    kind: embedded", "providers[0].name", "not a valid name"),
        ("providers:\n  - name: x\n    kind: embedded\n  - name: x\n    kind: embedded", "providers[1].name", "used by another"),
        ("providers:\n  - name: x\n    kind: openai-compatible\n    base_url: ftp://h", "providers[0].base_url", "not an http"),
        ("providers:\n  - name: x\n    kind: openai-compatible\n    base_url: http://h\n    api_key: ${NOPE_NOT_SET}", "providers[0].api_key", "NOPE_NOT_SET is not set"),
        ("providers:\n  - name: x\n    kind: azure-openai\n    base_url: https://h\n    api_version: v", "providers[0].deployments", "missing"),
        ("providers:\n  - name: x\n    kind: ollama\n    base_url: http://h\n    colour: red", "providers[0].colour", "unknown provider setting"),
        ("auth:\n  mode: open", "auth.mode", "not an auth mode"),
        ("port: [1, 2", nil, "not valid YAML"),
    ] as [(String, String?, String)])
    func wrongFileStopsStartUpNamingFileKeyAndProblem(yaml: String, key: String?, problem: String) throws {
        let path = try write(yaml)
        do {
            _ = try ConfigurationLoader.load(commandLine: [:], environment: [:], configPath: path)
            Issue.record("expected an error for \(yaml)")
        } catch let error as ConfigurationError {
            let text = "\(error)"
            #expect(text.hasPrefix(path), "\(text)")
            if let key { #expect(text.contains(key), "\(text)") }
            #expect(text.contains(problem), "\(text)")
        }
    }

    @Test func missingConfigFileIsAnErrorNamingIt() throws {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(commandLine: [:], environment: [:], configPath: "/nonexistent/parley.yaml")
        }
    }

    @Test func noAuthIsRefusedOffLoopback() async throws {
        await #expect(throws: ConfigurationError.self) {
            try await withParley({ $0.host = "0.0.0.0" }) { _ in }
        }
    }
}
