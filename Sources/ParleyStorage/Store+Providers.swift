import Foundation
import ParleyCore
import SQLKit

extension Store {
    public static let providerKinds = ["openai-compatible", "azure-openai", "ollama", "embedded"]

    /// Live providers, by name.
    public func providers() async throws -> [ProviderRecord] {
        try await sql.raw("SELECT * FROM providers WHERE deleted_ms IS NULL ORDER BY name").all()
            .map { try ProviderRecord(row: $0, secrets: secrets) }
    }

    public func provider(id: String) async throws -> ProviderRecord {
        let row = try await sql.raw("SELECT * FROM providers WHERE id = \(bind: id) AND deleted_ms IS NULL").first()
        guard let row else { throw ParleyError.notFound("no provider with id '\(id)'") }
        return try ProviderRecord(row: row, secrets: secrets)
    }

    public func createProvider(_ draft: ProviderDraft, source: String = "api") async throws -> ProviderRecord {
        guard let name = draft.name else { throw ParleyError.badRequest("name: required", param: "name") }
        guard let kind = draft.kind else { throw ParleyError.badRequest("kind: required", param: "kind") }
        let now = Clock.nowMilliseconds()
        var record = ProviderRecord(
            id: Identifier.make(at: now), name: name, kind: kind, baseURL: draft.baseURL ?? nil,
            apiKey: draft.apiKey ?? nil, apiVersion: draft.apiVersion ?? nil, deployments: draft.deployments ?? [],
            options: draft.options ?? [:], enabled: draft.enabled ?? true, source: source,
            createdAt: Timestamp(milliseconds: now), updatedAt: Timestamp(milliseconds: now))
        try Self.validate(provider: &record)
        try await uniquely("a provider named '\(name)' exists", param: "name") {
            try await sql.raw(
                """
                INSERT INTO providers (id, name, kind, base_url, api_key, api_version, deployments, options, enabled,
                    source, created_ms, updated_ms)
                VALUES (\(bind: record.id), \(bind: record.name), \(bind: record.kind), \(bind: record.baseURL),
                    \(bind: try secrets.seal(record.apiKey)), \(bind: record.apiVersion), \(bind: JSONText.encode(record.deployments)),
                    \(bind: JSONText.encode(record.options)), \(bind: record.enabled), \(bind: source), \(bind: now),
                    \(bind: now))
                """
            ).run()
        }
        return try await provider(id: record.id)
    }

    /// Changes a provider. A provider from parley.yaml changed here is no longer overwritten by the file.
    public func updateProvider(id: String, _ draft: ProviderDraft) async throws -> ProviderRecord {
        var record = try await provider(id: id)
        if let name = draft.name { record.name = name }
        if let kind = draft.kind { record.kind = kind }
        if let baseURL = draft.baseURL { record.baseURL = baseURL }
        if let apiKey = draft.apiKey { record.apiKey = (apiKey ?? "").isEmpty ? nil : apiKey }
        if let apiVersion = draft.apiVersion { record.apiVersion = apiVersion }
        if let deployments = draft.deployments { record.deployments = deployments }
        if let options = draft.options { record.options = options }
        if let enabled = draft.enabled { record.enabled = enabled }
        try Self.validate(provider: &record)
        try await uniquely("a provider named '\(record.name)' exists", param: "name") {
            try await sql.raw(
                """
                UPDATE providers SET name = \(bind: record.name), kind = \(bind: record.kind),
                    base_url = \(bind: record.baseURL), api_key = \(bind: try secrets.seal(record.apiKey)),
                    api_version = \(bind: record.apiVersion), deployments = \(bind: JSONText.encode(record.deployments)),
                    options = \(bind: JSONText.encode(record.options)), enabled = \(bind: record.enabled),
                    source = 'api', updated_ms = \(bind: Clock.nowMilliseconds())
                WHERE id = \(bind: id)
                """
            ).run()
        }
        return try await provider(id: id)
    }

    /// Soft-deletes a provider; the name can be used again at once.
    public func deleteProvider(id: String) async throws {
        _ = try await provider(id: id)
        try await sql.raw(
            "UPDATE providers SET deleted_ms = \(bind: Clock.nowMilliseconds()), source = 'api' WHERE id = \(bind: id)"
        ).run()
    }

    /// Brings the providers of parley.yaml into the registry: new ones are added, ones still as the file
    /// made them are updated from it; ones changed or deleted at run time are left as they are.
    public func seedProviders(_ drafts: [ProviderDraft]) async throws {
        for draft in drafts {
            guard let name = draft.name else { continue }
            let rows = try await sql.raw("SELECT id, source, deleted_ms FROM providers WHERE name = \(bind: name)").all()
            if rows.isEmpty {
                _ = try await createProvider(draft, source: "config")
                continue
            }
            for row in rows where try row.string("source") == "config" && (try row.optionalInt64("deleted_ms")) == nil {
                let id = try row.string("id")
                var record = try await provider(id: id)
                record.kind = draft.kind ?? record.kind
                record.baseURL = draft.baseURL ?? nil
                record.apiKey = draft.apiKey ?? nil
                record.apiVersion = draft.apiVersion ?? nil
                record.deployments = draft.deployments ?? []
                record.options = draft.options ?? [:]
                record.enabled = draft.enabled ?? true
                try Self.validate(provider: &record)
                try await sql.raw(
                    """
                    UPDATE providers SET kind = \(bind: record.kind), base_url = \(bind: record.baseURL),
                        api_key = \(bind: try secrets.seal(record.apiKey)), api_version = \(bind: record.apiVersion),
                        deployments = \(bind: JSONText.encode(record.deployments)),
                        options = \(bind: JSONText.encode(record.options)), enabled = \(bind: record.enabled)
                    WHERE id = \(bind: id)
                    """
                ).run()
            }
        }
    }

    static func validate(provider record: inout ProviderRecord) throws {
        let name = record.name
        guard (1...64).contains(name.count),
            name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) })
        else {
            throw ParleyError.badRequest("name: 1 to 64 letters, digits, '-', '_' or '.'", param: "name")
        }
        guard providerKinds.contains(record.kind) else {
            throw ParleyError.badRequest("kind: one of \(providerKinds.joined(separator: ", "))", param: "kind")
        }
        if record.kind != "embedded" {
            guard let base = record.baseURL, let url = URL(string: base), ["http", "https"].contains(url.scheme ?? ""),
                url.host != nil
            else {
                throw ParleyError.badRequest("base_url: an http or https URL is required for \(record.kind)", param: "base_url")
            }
        }
        if record.kind == "azure-openai", (record.apiVersion ?? "").isEmpty {
            throw ParleyError.badRequest("api_version: required for azure-openai", param: "api_version")
        }
    }

    // MARK: Models, aliases, settings

    public func modelEntries() async throws -> [ModelEntry] {
        try await sql.raw("SELECT * FROM models ORDER BY provider, name").all().map(ModelEntry.init(row:))
    }

    /// Adds or changes a model's entry (`provider/name`).
    public func upsertModel(provider: String, name: String, displayName: String?, enabled: Bool) async throws -> ModelEntry {
        let now = Clock.nowMilliseconds()
        try await sql.raw(
            """
            INSERT INTO models (id, provider, name, display_name, enabled, created_ms, updated_ms)
            VALUES (\(bind: Identifier.make(at: now)), \(bind: provider), \(bind: name), \(bind: displayName),
                \(bind: enabled), \(bind: now), \(bind: now))
            ON CONFLICT (provider, name) DO UPDATE SET display_name = \(bind: displayName), enabled = \(bind: enabled),
                updated_ms = \(bind: now)
            """
        ).run()
        let row = try await sql.raw(
            "SELECT * FROM models WHERE provider = \(bind: provider) AND name = \(bind: name)"
        ).first()
        return try ModelEntry(row: row!)
    }

    public func deleteModelEntry(provider: String, name: String) async throws {
        try await sql.raw("DELETE FROM models WHERE provider = \(bind: provider) AND name = \(bind: name)").run()
    }

    public func aliases() async throws -> [AliasRecord] {
        try await sql.raw("SELECT * FROM aliases ORDER BY alias").all().map(AliasRecord.init(row:))
    }

    public func setAlias(_ alias: String, target: String, source: String = "api") async throws -> AliasRecord {
        guard (1...200).contains(alias.count), !alias.contains(where: \.isWhitespace) else {
            throw ParleyError.badRequest("alias: 1 to 200 characters without spaces", param: "alias")
        }
        let now = Clock.nowMilliseconds()
        try await sql.raw(
            """
            INSERT INTO aliases (alias, target, source, created_ms, updated_ms)
            VALUES (\(bind: alias), \(bind: target), \(bind: source), \(bind: now), \(bind: now))
            ON CONFLICT (alias) DO UPDATE SET target = \(bind: target), source = \(bind: source), updated_ms = \(bind: now)
            """
        ).run()
        return try AliasRecord(row: try await sql.raw("SELECT * FROM aliases WHERE alias = \(bind: alias)").first()!)
    }

    public func deleteAlias(_ alias: String) async throws {
        guard try await sql.raw("SELECT alias FROM aliases WHERE alias = \(bind: alias)").first() != nil else {
            throw ParleyError.notFound("no alias '\(alias)'")
        }
        try await sql.raw("DELETE FROM aliases WHERE alias = \(bind: alias)").run()
    }

    /// Seeds aliases from parley.yaml: ones not changed at run time follow the file.
    public func seedAliases(_ aliases: [String: String]) async throws {
        let existing = Dictionary(uniqueKeysWithValues: try await self.aliases().map { ($0.alias, $0) })
        for (alias, target) in aliases where existing[alias] == nil || existing[alias]?.source == "config" {
            _ = try await setAlias(alias, target: target, source: "config")
        }
    }

    public func setting(_ key: String) async throws -> String? {
        try await sql.raw("SELECT value FROM settings WHERE key = \(bind: key)").first()?.string("value")
    }

    public func setSetting(_ key: String, _ value: String?) async throws {
        guard let value else {
            try await sql.raw("DELETE FROM settings WHERE key = \(bind: key)").run()
            return
        }
        let now = Clock.nowMilliseconds()
        try await sql.raw(
            """
            INSERT INTO settings (key, value, updated_ms) VALUES (\(bind: key), \(bind: value), \(bind: now))
            ON CONFLICT (key) DO UPDATE SET value = \(bind: value), updated_ms = \(bind: now)
            """
        ).run()
    }
}

extension ProviderRecord {
    init(row: any SQLRow, secrets: SecretBox) throws {
        self.init(
            id: try row.string("id"), name: try row.string("name"), kind: try row.string("kind"),
            baseURL: try row.optionalString("base_url"), apiKey: try secrets.open(try row.optionalString("api_key")),
            apiVersion: try row.optionalString("api_version"), deployments: try row.stringArray("deployments"),
            options: try row.jsonObject("options"), enabled: try row.bool("enabled"), source: try row.string("source"),
            createdAt: try row.timestamp("created_ms"), updatedAt: try row.timestamp("updated_ms"))
    }
}

extension ModelEntry {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.string("id"), provider: try row.string("provider"), name: try row.string("name"),
            displayName: try row.optionalString("display_name"), enabled: try row.bool("enabled"),
            createdAt: try row.timestamp("created_ms"), updatedAt: try row.timestamp("updated_ms"))
    }
}

extension AliasRecord {
    init(row: any SQLRow) throws {
        self.init(
            alias: try row.string("alias"), target: try row.string("target"), source: try row.string("source"),
            createdAt: try row.timestamp("created_ms"), updatedAt: try row.timestamp("updated_ms"))
    }
}
