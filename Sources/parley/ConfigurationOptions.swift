import ArgumentParser
import ParleyServer

/// The options that select a configuration, shared by `serve` and `chat`.
struct ConfigurationOptions: ParsableArguments {
    @Option(help: "Data directory (PARLEY_DATA; default ~/.parley).")
    var data: String?

    @Option(help: "Configuration file (PARLEY_CONFIG; default <data>/parley.yaml if present).")
    var config: String?

    @Option(name: .customLong("default-model"), help: "Model used when a request names none (PARLEY_DEFAULT_MODEL).")
    var defaultModel: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (PARLEY_LOG_LEVEL).")
    var logLevel: String?

    /// Command line over `PARLEY_*` over the file over defaults.
    func load(extra: [String: String] = [:]) throws -> ParleyConfiguration {
        var commandLine = extra
        commandLine["data"] = data
        commandLine["default_model"] = defaultModel
        commandLine["log_level"] = logLevel
        do {
            return try ConfigurationLoader.load(commandLine: commandLine, configPath: config)
        } catch let error as ConfigurationError {
            throw ValidationError("\(error)")
        }
    }
}
