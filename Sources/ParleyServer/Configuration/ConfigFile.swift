import Foundation
import ParleyCore
import Yams

/// `parley.yaml`, read and checked. Scalars are kept as dotted keys (`upstream.connect_timeout`)
/// for the configuration reader, below environment and command line; the structured parts
/// (providers, aliases) are validated here.
public struct ConfigFile: Sendable {
    public var path: String
    public var scalars: [String: String]
    public var providers: [ProviderConfiguration]?
    public var aliases: [String: String]

    /// Every scalar key the file may hold, with nested ones dotted.
    static let scalarKeys: Set<String> = [
        "host", "port", "data", "default_model", "log_level", "max_body_size", "model_refresh_interval",
        "shutdown_grace_period", "upstream.connect_timeout", "upstream.first_byte_timeout", "upstream.idle_timeout",
        "auth.mode", "embedded.threads", "embedded.auto_pull", "database_url", "auth.trusted_header",
        "auth.trusted_proxies", "auth.session_lifetime", "auth.secure_cookies", "auth.bcrypt_cost",
        "auth.login_attempts", "admin_username", "admin_password", "secret_key", "limits.requests_per_minute",
        "limits.daily_tokens", "ui.frame_ancestors",
    ]
    /// Scalar keys that may also be written as a YAML list (kept comma-separated).
    static let listKeys: Set<String> = ["auth.trusted_proxies", "ui.frame_ancestors", "knowledge.allow_networks"]
    static let providerKeys: Set<String> = [
        "name", "kind", "base_url", "api_key", "api_version", "deployments", "headers", "models_dir", "enabled",
    ]

    /// Reads and checks a file.
    ///
    /// - Parameter environment: for `${ENV_VAR}` references.
    public static func load(path: String, environment: [String: String]) throws -> ConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(source: path, key: nil, problem: "cannot read the file (missing or not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(source: path, key: nil, problem: "the file is not UTF-8 text")
        }
        return try parse(text, path: path, environment: environment)
    }

    public static func parse(_ text: String, path: String, environment: [String: String]) throws -> ConfigFile {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError(source: path, key: nil, problem: "not valid YAML: \(error)")
        }
        var file = ConfigFile(path: path, scalars: [:], providers: nil, aliases: [:])
        guard let node else { return file }
        guard let root = node.mapping else {
            throw ConfigurationError(source: path, key: nil, problem: "expected a mapping of settings at the top level")
        }
        let reader = Reader(path: path, environment: environment)
        for (keyNode, value) in root {
            let key = keyNode.string ?? ""
            switch key {
            case "providers":
                file.providers = try reader.providers(value)
            case "aliases":
                file.aliases = try reader.stringMap(value, key: "aliases")
            default:
                try reader.flatten(value, key: key, into: &file.scalars)
            }
        }
        return file
    }
}

/// Walks the YAML tree, naming the key at fault in every error.
private struct Reader {
    let path: String
    let environment: [String: String]

    func fail(_ key: String, _ problem: String) -> ConfigurationError {
        ConfigurationError(source: path, key: key, problem: problem)
    }

    func flatten(_ node: Node, key: String, into scalars: inout [String: String]) throws {
        if let mapping = node.mapping {
            for (childKey, child) in mapping {
                try flatten(child, key: "\(key).\(childKey.string ?? "")", into: &scalars)
            }
            return
        }
        guard ConfigFile.scalarKeys.contains(key) else {
            throw fail(key, "unknown setting (known: \(ConfigFile.scalarKeys.sorted().joined(separator: ", ")), providers, aliases)")
        }
        if let list = node.sequence, ConfigFile.listKeys.contains(key) {
            scalars[key] = try list.map { try scalar($0, key: key) }.joined(separator: ", ")
            return
        }
        scalars[key] = try scalar(node, key: key)
    }

    func scalar(_ node: Node, key: String) throws -> String {
        guard let scalar = node.scalar else { throw fail(key, "expected a single value, not a list or mapping") }
        return try substitute(scalar.string, key: key)
    }

    /// Replaces `${NAME}` with the environment variable's value.
    func substitute(_ text: String, key: String) throws -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw fail(key, "unterminated '${' reference")
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else {
                throw fail(key, "the environment variable \(name) is not set")
            }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    func stringMap(_ node: Node, key: String) throws -> [String: String] {
        guard let mapping = node.mapping else { throw fail(key, "expected a mapping of names to values") }
        var map: [String: String] = [:]
        for (childKey, child) in mapping {
            let name = childKey.string ?? ""
            map[name] = try scalar(child, key: "\(key).\(name)")
        }
        return map
    }

    func providers(_ node: Node) throws -> [ProviderConfiguration] {
        guard let sequence = node.sequence else { throw fail("providers", "expected a list of providers") }
        var providers: [ProviderConfiguration] = []
        for (index, item) in sequence.enumerated() {
            let prefix = "providers[\(index)]"
            guard let mapping = item.mapping else { throw fail(prefix, "expected a mapping (name, kind, ...)") }
            var fields: [String: Node] = [:]
            for (keyNode, value) in mapping {
                let key = keyNode.string ?? ""
                guard ConfigFile.providerKeys.contains(key) else {
                    throw fail("\(prefix).\(key)", "unknown provider setting (known: \(ConfigFile.providerKeys.sorted().joined(separator: ", ")))")
                }
                fields[key] = value
            }
            guard let nameNode = fields["name"] else { throw fail("\(prefix).name", "missing; every provider needs a name") }
            let name = try scalar(nameNode, key: "\(prefix).name")
            try ProviderName.validate(name, key: "\(prefix).name", reader: self)
            if providers.contains(where: { $0.name == name }) {
                throw fail("\(prefix).name", "the name '\(name)' is used by another provider")
            }
            guard let kindNode = fields["kind"] else { throw fail("\(prefix).kind", "missing") }
            let kindText = try scalar(kindNode, key: "\(prefix).kind")
            guard let kind = ProviderConfiguration.Kind(rawValue: kindText) else {
                let known = ProviderConfiguration.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail("\(prefix).kind", "'\(kindText)' is not a provider kind (known: \(known))")
            }
            var provider = ProviderConfiguration(name: name, kind: kind)
            provider.baseURL = try fields["base_url"].map { try url($0, key: "\(prefix).base_url") }
            provider.apiKey = try fields["api_key"].map { try scalar($0, key: "\(prefix).api_key") }
            provider.apiVersion = try fields["api_version"].map { try scalar($0, key: "\(prefix).api_version") }
            provider.modelsDirectory = try fields["models_dir"].map { try scalar($0, key: "\(prefix).models_dir") }
            provider.headers = try fields["headers"].map { try stringMap($0, key: "\(prefix).headers") } ?? [:]
            if let deployments = fields["deployments"] {
                guard let list = deployments.sequence else { throw fail("\(prefix).deployments", "expected a list of names") }
                provider.deployments = try list.enumerated().map { try scalar($1, key: "\(prefix).deployments[\($0)]") }
            }
            if let enabled = fields["enabled"] {
                let text = try scalar(enabled, key: "\(prefix).enabled")
                guard let value = Bool(text) else { throw fail("\(prefix).enabled", "expected true or false, got '\(text)'") }
                provider.enabled = value
            }
            switch kind {
            case .ollama, .openAICompatible, .azureOpenAI:
                guard provider.baseURL != nil else { throw fail("\(prefix).base_url", "missing; a \(kind.rawValue) provider needs one") }
            case .embedded:
                break
            }
            if kind == .azureOpenAI {
                guard provider.apiVersion != nil else { throw fail("\(prefix).api_version", "missing; Azure needs an api-version") }
                guard !provider.deployments.isEmpty else { throw fail("\(prefix).deployments", "missing; list the deployments to offer") }
            }
            providers.append(provider)
        }
        return providers
    }

    func url(_ node: Node, key: String) throws -> String {
        let text = try scalar(node, key: key)
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil
        else {
            throw fail(key, "'\(text)' is not an http or https URL")
        }
        return text
    }
}

/// Provider names become the first half of model ids, so they are kept simple.
enum ProviderName {
    fileprivate static func validate(_ name: String, key: String, reader: Reader) throws {
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
        guard !name.isEmpty, allowed else {
            throw reader.fail(key, "'\(name)' is not a valid name (letters, digits, '-', '_', '.'; no '/')")
        }
    }
}
