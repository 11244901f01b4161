import Foundation
import ParleyCore
import ParleyServer
import ParleyTesting
import Testing

/// The provider registry behind the router: seeded from the configuration, changed at run time.
@Suite struct RegistryAPITests {
    @Test func providersFromTheConfigurationAreListedWithoutTheirSecrets() async throws {
        try await withMockAndParley { _, parley in
            let reply = try await parley.get("/api/v1/providers")
            #expect(reply.status == 200)
            let names = reply.json?["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names == ["azure", "ollama", "openai"])
            #expect(!reply.text.contains("sk-test"))
            #expect(!reply.text.contains("azure-key"))
            #expect(reply.json?["items"]?.arrayValue?.first?["has_api_key"] == .bool(true))
        }
    }

    @Test func providerAddedAtRunTimeServesAtOnce() async throws {
        try await withMockURLAndParley { mockURL, _, parley in
            let created = try await parley.post(
                "/api/v1/providers",
                json: [
                    "name": "second", "kind": "openai-compatible", "base_url": .string("\(mockURL)/v1"),
                    "api_key": "sk-test",
                ])
            #expect(created.status == 201)
            #expect(!created.text.contains("sk-test"))
            let id = try #require(created.json?["id"]?.stringValue)
            let models = try await parley.get("/v1/models")
            #expect(models.text.contains("second/mock-gpt"))
            let chat = try await parley.post("/v1/chat/completions", json: chatBody(model: "second/mock-gpt", "hi"))
            #expect(chat.status == 200)

            let duplicate = try await parley.post(
                "/api/v1/providers", json: ["name": "second", "kind": "ollama", "base_url": .string(mockURL)])
            #expect(duplicate.status == 409)

            let disabled = try await parley.patch("/api/v1/providers/\(id)", json: ["enabled": false])
            #expect(disabled.json?["enabled"] == .bool(false))
            let gone = try await parley.post("/v1/chat/completions", json: chatBody(model: "second/mock-gpt", "hi"))
            #expect(gone.status == 404)

            #expect(try await parley.delete("/api/v1/providers/\(id)").status == 204)
            #expect(try await parley.get("/api/v1/providers/\(id)").status == 404)
            let again = try await parley.post(
                "/api/v1/providers", json: ["name": "second", "kind": "ollama", "base_url": .string(mockURL)])
            #expect(again.status == 201)
        }
    }

    @Test func badProvidersAreRefusedNamingTheField() async throws {
        try await withMockAndParley { _, parley in
            let kind = try await parley.post("/api/v1/providers", json: ["name": "x", "kind": "magic"])
            #expect(kind.status == 400)
            #expect(kind.json?["error"]?["param"]?.stringValue == "kind")
            let url = try await parley.post("/api/v1/providers", json: ["name": "x", "kind": "ollama", "base_url": "ftp://x"])
            #expect(url.json?["error"]?["param"]?.stringValue == "base_url")
            let azure = try await parley.post(
                "/api/v1/providers", json: ["name": "x", "kind": "azure-openai", "base_url": "http://127.0.0.1:1"])
            #expect(azure.json?["error"]?["param"]?.stringValue == "api_version")
        }
    }

    @Test func disabledModelIsNeitherListedNorRouted() async throws {
        try await withMockAndParley { _, parley in
            let off = try await parley.put("/api/v1/models/openai/mock-gpt", json: ["enabled": false])
            #expect(off.status == 200)
            #expect(!(try await parley.get("/v1/models")).text.contains("openai/mock-gpt"))
            let chat = try await parley.post("/v1/chat/completions", json: chatBody(model: "openai/mock-gpt", "hi"))
            #expect(chat.status == 404)
            let listed = try await parley.get("/api/v1/models")
            let entry = listed.json?["items"]?.arrayValue?.first { $0["id"]?.stringValue == "openai/mock-gpt" }
            #expect(entry?["enabled"] == .bool(false))
            _ = try await parley.put("/api/v1/models/openai/mock-gpt", json: ["enabled": true])
            #expect(try await parley.post("/v1/chat/completions", json: chatBody(model: "openai/mock-gpt", "hi")).status == 200)
        }
    }

    @Test func aliasesAndTheDefaultModelChangeAtRunTime() async throws {
        try await withMockAndParley { _, parley in
            let alias = try await parley.put("/api/v1/aliases/gpt-3.5-turbo", json: ["target": "ollama/mock-llama"])
            #expect(alias.status == 200)
            let chat = try await parley.post("/v1/chat/completions", json: chatBody(model: "gpt-3.5-turbo", "hi"))
            #expect(chat.status == 200)
            let badTarget = try await parley.put("/api/v1/aliases/x", json: ["target": "nope/none"])
            #expect(badTarget.status == 404)
            let settings = try await parley.patch("/api/v1/settings", json: ["default_model": "openai/mock-gpt"])
            #expect(settings.json?["default_model"]?.stringValue == "openai/mock-gpt")
            #expect(try await parley.delete("/api/v1/aliases/gpt-3.5-turbo").status == 204)
            #expect(try await parley.post("/v1/chat/completions", json: chatBody(model: "gpt-3.5-turbo", "hi")).status == 404)
        }
    }

    @Test func adminChangesAreAlwaysRecorded() async throws {
        try await withMockAndParley { _, parley in
            _ = try await parley.put("/api/v1/models/openai/mock-gpt", json: ["enabled": false])
            let records = try await parley.get("/api/v1/records")
            let actions = records.json?["items"]?.arrayValue?.compactMap { $0["action"]?.stringValue }
            #expect(actions == ["model.update"])
        }
    }
}
