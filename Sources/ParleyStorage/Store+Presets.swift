import Foundation
import ParleyCore
import SQLKit

extension Store {
    /// The parameters a preset may set, and their JSON types.
    public static let presetParameters: [String: String] = [
        "system_prompt": "string", "temperature": "number", "top_p": "number", "max_tokens": "number",
        "stop": "array", "seed": "number", "presence_penalty": "number", "frequency_penalty": "number",
    ]

    /// The user's presets, for one model or all, by model then name.
    public func presets(userID: String, model: String? = nil) async throws -> [PresetRecord] {
        var query = SQLQueryString("SELECT * FROM presets WHERE owner_id = \(bind: userID) AND deleted_ms IS NULL")
        if let model { query.appendInterpolation(SQLQueryString(" AND model = \(bind: model)")) }
        query.appendInterpolation(unsafeRaw: " ORDER BY model, name_key")
        return try await sql.raw(query).all().map(PresetRecord.init(row:))
    }

    public func preset(id: String, userID: String) async throws -> PresetRecord {
        let row = try await sql.raw(
            "SELECT * FROM presets WHERE id = \(bind: id) AND owner_id = \(bind: userID) AND deleted_ms IS NULL"
        ).first()
        guard let row else { throw ParleyError.notFound("no preset with id '\(id)'") }
        return try PresetRecord(row: row)
    }

    public func createPreset(
        ownerID: String, model: String, name: String, parameters: [String: JSONValue], isDefault: Bool
    ) async throws -> PresetRecord {
        try Self.validate(presetName: name, model: model, parameters: parameters)
        let now = Clock.nowMilliseconds()
        let id = Identifier.make(at: now)
        try await uniquely("a preset named '\(name)' exists for \(model)", param: "name") {
            try await database.transaction { database in
                let sql = database as! any SQLDatabase
                if isDefault { try await Self.clearDefault(sql, ownerID: ownerID, model: model) }
                try await sql.raw(
                    """
                    INSERT INTO presets (id, owner_id, model, name, name_key, parameters, is_default, created_ms, updated_ms)
                    VALUES (\(bind: id), \(bind: ownerID), \(bind: model), \(bind: name), \(bind: name.lowercased()),
                        \(bind: JSONText.encode(parameters)), \(bind: isDefault), \(bind: now), \(bind: now))
                    """
                ).run()
            }
        }
        return try await preset(id: id, userID: ownerID)
    }

    public func updatePreset(
        id: String, userID: String, name: String?, parameters: [String: JSONValue]?, isDefault: Bool?
    ) async throws -> PresetRecord {
        var preset = try await preset(id: id, userID: userID)
        if let name { preset.name = name }
        if let parameters { preset.parameters = parameters }
        try Self.validate(presetName: preset.name, model: preset.model, parameters: preset.parameters)
        let makeDefault = isDefault ?? preset.isDefault
        let changed = preset
        try await uniquely("a preset named '\(preset.name)' exists for \(preset.model)", param: "name") {
            try await database.transaction { database in
                let sql = database as! any SQLDatabase
                if makeDefault { try await Self.clearDefault(sql, ownerID: userID, model: changed.model) }
                try await sql.raw(
                    """
                    UPDATE presets SET name = \(bind: changed.name), name_key = \(bind: changed.name.lowercased()),
                        parameters = \(bind: JSONText.encode(changed.parameters)), is_default = \(bind: makeDefault),
                        updated_ms = \(bind: Clock.nowMilliseconds())
                    WHERE id = \(bind: id)
                    """
                ).run()
            }
        }
        return try await self.preset(id: id, userID: userID)
    }

    public func deletePreset(id: String, userID: String) async throws {
        _ = try await preset(id: id, userID: userID)
        try await sql.raw("UPDATE presets SET deleted_ms = \(bind: Clock.nowMilliseconds()) WHERE id = \(bind: id)").run()
    }

    /// The user's default preset for a model, if they chose one.
    public func defaultPreset(userID: String, model: String) async throws -> PresetRecord? {
        try await sql.raw(
            """
            SELECT * FROM presets WHERE owner_id = \(bind: userID) AND model = \(bind: model)
                AND is_default = \(bind: true) AND deleted_ms IS NULL
            """
        ).first().map(PresetRecord.init(row:))
    }

    private static func clearDefault(_ sql: any SQLDatabase, ownerID: String, model: String) async throws {
        try await sql.raw(
            """
            UPDATE presets SET is_default = \(bind: false)
            WHERE owner_id = \(bind: ownerID) AND model = \(bind: model) AND deleted_ms IS NULL
            """
        ).run()
    }

    static func validate(presetName name: String, model: String, parameters: [String: JSONValue]) throws {
        guard (1...100).contains(name.trimmingCharacters(in: .whitespaces).count) else {
            throw ParleyError.badRequest("name: must be 1 to 100 characters", param: "name")
        }
        guard !model.isEmpty else { throw ParleyError.badRequest("model: required", param: "model") }
        for (key, value) in parameters {
            guard let type = presetParameters[key] else {
                throw ParleyError.badRequest(
                    "parameters.\(key): not a preset parameter (\(presetParameters.keys.sorted().joined(separator: ", ")))",
                    param: "parameters.\(key)")
            }
            let matches: Bool
            switch (type, value) {
            case ("string", .string), ("number", .number), ("array", .array), (_, .null): matches = true
            case ("array", .string): matches = true
            default: matches = false
            }
            guard matches else {
                throw ParleyError.badRequest("parameters.\(key): expected a \(type)", param: "parameters.\(key)")
            }
        }
    }
}

extension PresetRecord {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.string("id"), ownerID: try row.string("owner_id"), model: try row.string("model"),
            name: try row.string("name"), parameters: try row.jsonObject("parameters"), isDefault: try row.bool("is_default"),
            createdAt: try row.timestamp("created_ms"), updatedAt: try row.timestamp("updated_ms"))
    }
}
