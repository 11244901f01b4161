import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ParleyServer
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Parley server.",
        discussion: """
            Settings come from the command line, then PARLEY_* environment variables, then parley.yaml \
            (--config, PARLEY_CONFIG, or <data>/parley.yaml), then defaults. With no configuration at all, \
            Parley listens on 127.0.0.1:8080 and serves the embedded engine's default model.
            """
    )

    @Option(help: "Address to listen on (PARLEY_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (PARLEY_PORT; default 8080).")
    var port: Int?

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        var commandLine: [String: String] = [:]
        commandLine["host"] = host
        commandLine["port"] = port.map(String.init)
        let configuration = try options.load(extra: commandLine)
        LoggingSystem.bootstrap { StandardErrorLogHandler(label: $0, level: configuration.logLevel) }
        let logger = Logger(label: "parley")
        await DefaultModelBootstrap.ensureDefaultModel(configuration: configuration, logger: logger)
        let app: any ApplicationProtocol
        do {
            app = try await buildApplication(configuration: configuration, logger: logger) { channel in
                let address = channel.localAddress.map { "\($0.ipAddress ?? configuration.host):\($0.port ?? configuration.port)" }
                logger.notice("Parley is listening", metadata: ["parley.address": .string(address ?? "?")])
            }
        } catch let error as ConfigurationError {
            throw ValidationError("\(error)")
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        try await ServiceGroup(configuration: groupConfiguration).run()
    }
}
