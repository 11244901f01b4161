import Configuration
import Foundation
import Logging
import ParleyProviders

/// Everything `parley serve` needs to know, with every key and default in one place.
///
/// | key (YAML)                     | environment                        | default                  |
/// |--------------------------------|------------------------------------|--------------------------|
/// | `host`                         | `PARLEY_HOST`                      | `127.0.0.1`              |
/// | `port`                         | `PARLEY_PORT`                      | `8080`                   |
/// | `data`                         | `PARLEY_DATA`                      | `~/.parley`              |
/// | `default_model`                | `PARLEY_DEFAULT_MODEL`             | `smollm2`                |
/// | `log_level`                    | `PARLEY_LOG_LEVEL`                 | `info`                   |
/// | `max_body_size` (bytes)        | `PARLEY_MAX_BODY_SIZE`             | `8388608` (8 MiB)        |
/// | `model_refresh_interval`       | `PARLEY_MODEL_REFRESH_INTERVAL`    | `60s`                    |
/// | `shutdown_grace_period`        | `PARLEY_SHUTDOWN_GRACE_PERIOD`     | `30s`                    |
/// | `upstream.connect_timeout`     | `PARLEY_UPSTREAM_CONNECT_TIMEOUT`  | `10s`                    |
/// | `upstream.first_byte_timeout`  | `PARLEY_UPSTREAM_FIRST_BYTE_TIMEOUT` | `120s`                 |
/// | `upstream.idle_timeout`        | `PARLEY_UPSTREAM_IDLE_TIMEOUT`     | `60s`                    |
/// | `auth.mode`                    | `PARLEY_AUTH_MODE`                 | `none`                   |
/// | `auth.trusted_header`          | `PARLEY_AUTH_TRUSTED_HEADER`       | `X-Forwarded-User`       |
/// | `auth.trusted_proxies`         | `PARLEY_AUTH_TRUSTED_PROXIES`      | `127.0.0.1, ::1`         |
/// | `auth.session_lifetime`        | `PARLEY_AUTH_SESSION_LIFETIME`     | `168h` (7 days)          |
/// | `auth.secure_cookies`          | `PARLEY_AUTH_SECURE_COOKIES`       | when behind TLS          |
/// | `auth.bcrypt_cost`             | `PARLEY_AUTH_BCRYPT_COST`          | `12`                     |
/// | `auth.login_attempts`          | `PARLEY_AUTH_LOGIN_ATTEMPTS`       | `5` per 15 minutes       |
/// | `admin_username`               | `PARLEY_ADMIN_USERNAME`            | `admin`                  |
/// | `admin_password`               | `PARLEY_ADMIN_PASSWORD`            | none (no first admin)    |
/// | `secret_key`                   | `PARLEY_SECRET_KEY`                | `<data>/secret.key`      |
/// | `limits.requests_per_minute`   | `PARLEY_LIMITS_REQUESTS_PER_MINUTE` | none (unlimited)        |
/// | `limits.daily_tokens`          | `PARLEY_LIMITS_DAILY_TOKENS`       | none (unlimited)         |
/// | `embedded.threads`             | `PARLEY_EMBEDDED_THREADS`          | all cores                |
/// | `embedded.auto_pull`           | `PARLEY_EMBEDDED_AUTO_PULL`        | `true`                   |
/// | `database_url`                 | `PARLEY_DATABASE_URL`              | SQLite `<data>/parley.db` |
/// | `ui.frame_ancestors`           | `PARLEY_UI_FRAME_ANCESTORS`        | `'self'`                 |
/// | (environment only)             | `PARLEY_WEBUI_DIR`                 | the bundled UI files     |
///
/// The `knowledge.*` keys are listed in ``KnowledgeConfiguration``.
///
/// Durations are seconds (`30`) or carry a unit (`500ms`, `30s`, `2m`). `providers` and `aliases`
/// come from the file only (see ``ConfigFile``). `ui.frame_ancestors` lists who may show the web UI
/// in a frame (CSP `frame-ancestors` sources, space-separated, or a YAML list): `'self'`, `'none'`,
/// origins such as `https://backstage.example.com`.
public struct ParleyConfiguration: Sendable {
    public enum AuthMode: String, Sendable, CaseIterable {
        case none
        case local
        case trustedHeader = "trusted-header"
    }

    public var host = "127.0.0.1"
    public var port = 8080
    public var dataDirectory: String
    public var defaultModel: String? = "smollm2"
    public var logLevel: Logger.Level = .info
    public var maxBodySize = 8 * 1024 * 1024
    public var modelRefreshInterval: Duration = .seconds(60)
    public var shutdownGracePeriod: Duration = .seconds(30)
    public var upstreamTimeouts = UpstreamTimeouts()
    public var authMode: AuthMode = .none
    public var auth = AuthSettings()
    public var embeddedThreads: Int?
    public var embeddedAutoPull = true
    /// `postgres://user:password@host:port/database`; nil for SQLite in the data directory.
    public var databaseURL: String?
    public var providers: [ProviderConfiguration]
    public var aliases: [String: String] = [:]
    /// The origins that may embed the web UI in a frame (CSP `frame-ancestors` sources).
    public var uiFrameAncestors = "'self'"
    /// The web UI's files are served from this folder instead of the bundle (`PARLEY_WEBUI_DIR`, for development).
    public var webUIDirectory: String?
    /// The file the configuration came from, if any (for messages).
    public var configFile: String?
    /// Knowledge collections: embedding model, chunking, fetching limits, retrieval.
    public var knowledge = KnowledgeConfiguration()

    /// The configuration of a fresh machine: the embedded engine and its default model.
    public init(dataDirectory: String = ParleyConfiguration.defaultDataDirectory) {
        self.dataDirectory = dataDirectory
        self.providers = [ProviderConfiguration(name: "local", kind: .embedded)]
    }

    public static var defaultDataDirectory: String {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".parley")
    }

    /// Reads the scalars from a reader (command line, environment, file, in that order of
    /// precedence) and the structured parts from the file.
    ///
    /// - Throws: ``ConfigurationError`` naming the key and what is wrong with its value.
    public init(reader: ConfigReader, file: ConfigFile?) throws {
        self.init(dataDirectory: reader.string(forKey: "data") ?? Self.defaultDataDirectory)
        let source = file?.path ?? "configuration"
        func fail(_ key: String, _ problem: String) -> ConfigurationError {
            let variable = "PARLEY_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
            return ConfigurationError(source: source, key: "\(key) (or \(variable))", problem: problem)
        }
        func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
            guard let text = reader.string(forKey: ConfigKey(key)) else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                throw fail(key, "'\(text)' is not a whole number in \(range.lowerBound)...\(range.upperBound)")
            }
            return value
        }
        func duration(_ key: String) throws -> Duration? {
            guard let text = reader.string(forKey: ConfigKey(key)) else { return nil }
            guard let value = Self.parseDuration(text) else {
                throw fail(key, "'\(text)' is not a duration (seconds, or a number with ms, s, m or h)")
            }
            return value
        }
        func boolean(_ key: String) throws -> Bool? {
            guard let text = reader.string(forKey: ConfigKey(key)) else { return nil }
            switch text.lowercased() {
            case "true", "yes", "1", "on": return true
            case "false", "no", "0", "off": return false
            default: throw fail(key, "'\(text)' is not true or false")
            }
        }

        if let host = reader.string(forKey: "host") { self.host = host }
        if let port = try integer("port", in: 0...65535) { self.port = port }
        if let model = reader.string(forKey: "default_model") { self.defaultModel = model.isEmpty ? nil : model }
        if let level = reader.string(forKey: "log_level") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                let known = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail("log_level", "'\(level)' is not a log level (\(known))")
            }
            self.logLevel = parsed
        }
        if let size = try integer("max_body_size", in: 1024...(1 << 34)) { self.maxBodySize = size }
        if let interval = try duration("model_refresh_interval") { self.modelRefreshInterval = interval }
        if let grace = try duration("shutdown_grace_period") { self.shutdownGracePeriod = grace }
        if let timeout = try duration("upstream.connect_timeout") { self.upstreamTimeouts.connect = timeout }
        if let timeout = try duration("upstream.first_byte_timeout") { self.upstreamTimeouts.firstByte = timeout }
        if let timeout = try duration("upstream.idle_timeout") { self.upstreamTimeouts.idle = timeout }
        if let mode = reader.string(forKey: "auth.mode") {
            guard let parsed = AuthMode(rawValue: mode) else {
                throw fail("auth.mode", "'\(mode)' is not an auth mode (none, local, trusted-header)")
            }
            self.authMode = parsed
        }
        if let header = reader.string(forKey: "auth.trusted_header") {
            guard !header.isEmpty, header.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw fail("auth.trusted_header", "'\(header)' is not a header name")
            }
            self.auth.trustedHeader = header
        }
        if let proxies = reader.string(forKey: "auth.trusted_proxies") {
            self.auth.trustedProxies = try proxies.split(separator: ",").map { entry in
                guard let network = IPNetwork(String(entry)) else {
                    throw fail("auth.trusted_proxies", "'\(entry)' is not an address or a network (10.0.0.0/8)")
                }
                return network
            }
        }
        if let lifetime = try duration("auth.session_lifetime") { self.auth.sessionLifetime = lifetime }
        if let secure = try boolean("auth.secure_cookies") { self.auth.secureCookies = secure }
        if let cost = try integer("auth.bcrypt_cost", in: 4...31) { self.auth.bcryptCost = cost }
        if let attempts = try integer("auth.login_attempts", in: 1...1000) { self.auth.loginAttempts = attempts }
        if let username = reader.string(forKey: "admin_username") { self.auth.adminUsername = username }
        if let password = reader.string(forKey: "admin_password"), !password.isEmpty { self.auth.adminPassword = password }
        if let key = reader.string(forKey: "secret_key"), !key.isEmpty { self.auth.secretKey = key }
        self.auth.requestsPerMinute = try integer("limits.requests_per_minute", in: 1...1_000_000_000)
        self.auth.dailyTokens = try integer("limits.daily_tokens", in: 1...Int(Int32.max) * 1000)
        if let threads = try integer("embedded.threads", in: 1...1024) { self.embeddedThreads = threads }
        if let autoPull = try boolean("embedded.auto_pull") { self.embeddedAutoPull = autoPull }
        if let url = reader.string(forKey: "database_url"), !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw fail("database_url", "expected a postgres:// URL (SQLite needs no setting)")
            }
            self.databaseURL = url
        }
        self.knowledge = try KnowledgeConfiguration(
            reader: reader, integer: { try integer($0, in: $1) }, duration: duration, fail: fail)
        if let ancestors = reader.string(forKey: "ui.frame_ancestors") {
            self.uiFrameAncestors = try Self.frameAncestors(ancestors, fail: { fail("ui.frame_ancestors", $0) })
        }
        if let folder = reader.string(forKey: "webui_dir"), !folder.isEmpty { self.webUIDirectory = folder }
        if let file {
            self.configFile = file.path
            if let providers = file.providers { self.providers = providers }
            self.aliases = file.aliases
        }
    }

    /// CSP source expressions, one space between each; nothing that could end the directive.
    static func frameAncestors(_ text: String, fail: (String) -> ConfigurationError) throws -> String {
        let sources = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        guard !sources.isEmpty else { throw fail("must name at least one source ('none' to refuse every frame)") }
        for source in sources where source.contains(where: { $0 == ";" || $0.isNewline || !$0.isASCII }) {
            throw fail("'\(source)' is not a frame-ancestors source (an origin, 'self' or 'none')")
        }
        return sources.joined(separator: " ")
    }

    /// `30`, `30s`, `500ms`, `2m`, `1h`.
    static func parseDuration(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            guard let number = Double(trimmed.dropLast(suffix.count)), number >= 0 else { return nil }
            return .milliseconds(Int64(number * scale * 1000))
        }
        guard let seconds = Double(trimmed), seconds >= 0 else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }
}
