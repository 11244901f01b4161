import Configuration
import Foundation

/// Assembles the configuration from its sources: command line over environment over
/// `parley.yaml` over defaults.
public enum ConfigurationLoader {
    /// - Parameters:
    ///   - commandLine: settings given as options, by key (`port`, `data`, `upstream.idle_timeout`).
    ///   - environment: the process environment (`PARLEY_*` variables, and `${VAR}` references).
    ///   - configPath: `--config`; otherwise `PARLEY_CONFIG`, otherwise `<data>/parley.yaml` if present.
    public static func load(
        commandLine: [String: String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        configPath: String? = nil
    ) throws -> ParleyConfiguration {
        let cli = InMemoryProvider(
            name: "command line",
            values: Dictionary(
                uniqueKeysWithValues: commandLine.map { key, value in
                    (AbsoluteConfigKey(key.split(separator: ".").map(String.init)), ConfigValue(.string(value), isSecret: false))
                }))
        let env = EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "parley")
        let early = ConfigReader(providers: [cli, env])

        var path = configPath ?? environment["PARLEY_CONFIG"]
        if path == nil {
            let data = early.string(forKey: "data") ?? ParleyConfiguration.defaultDataDirectory
            let candidate = (data as NSString).appendingPathComponent("parley.yaml")
            if FileManager.default.fileExists(atPath: candidate) { path = candidate }
        }
        let file = try path.map { try ConfigFile.load(path: $0, environment: environment) }
        let fileProvider = InMemoryProvider(
            name: file?.path ?? "parley.yaml",
            values: Dictionary(
                uniqueKeysWithValues: (file?.scalars ?? [:]).map { key, value in
                    (AbsoluteConfigKey(key.split(separator: ".").map(String.init)), ConfigValue(.string(value), isSecret: false))
                }))
        return try ParleyConfiguration(reader: ConfigReader(providers: [cli, env, fileProvider]), file: file)
    }
}
