import ParleyCore
import ParleyStorage
import ParleyStorageTesting
import Testing

@Suite("Presets")
struct PresetTests {
    @Test(arguments: TestBackend.allCases)
    func aModelHasAtMostOneDefaultPreset(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let precise = try await store.createPreset(
                ownerID: alice.id, model: "smollm2", name: "Precise", parameters: ["temperature": .number(0)],
                isDefault: true)
            #expect(try await store.defaultPreset(userID: alice.id, model: "smollm2")?.id == precise.id)

            let creative = try await store.createPreset(
                ownerID: alice.id, model: "smollm2", name: "Creative", parameters: ["temperature": .number(1.2)],
                isDefault: true)
            let other = try await store.createPreset(
                ownerID: alice.id, model: "mistral", name: "Precise", parameters: [:], isDefault: true)
            #expect(try await store.defaultPreset(userID: alice.id, model: "smollm2")?.id == creative.id)
            #expect(try await !store.preset(id: precise.id, userID: alice.id).isDefault)
            #expect(try await store.defaultPreset(userID: alice.id, model: "mistral")?.id == other.id)

            _ = try await store.updatePreset(
                id: precise.id, userID: alice.id, name: nil, parameters: nil, isDefault: true)
            let defaults = try await store.presets(userID: alice.id).filter(\.isDefault).map(\.id)
            #expect(Set(defaults) == [precise.id, other.id])

            _ = try await store.updatePreset(
                id: precise.id, userID: alice.id, name: nil, parameters: nil, isDefault: false)
            #expect(try await store.defaultPreset(userID: alice.id, model: "smollm2") == nil)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func parametersAreChecked(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let parameters: [String: JSONValue] = [
                "system_prompt": .string("Be brief."), "temperature": .number(0.7), "top_p": .number(0.9),
                "max_tokens": .number(256), "stop": .array([.string("\n\n")]), "seed": .number(1),
            ]
            let preset = try await store.createPreset(
                ownerID: alice.id, model: "m", name: "All", parameters: parameters, isDefault: false)
            #expect(preset.parameters == parameters)
            await expectError(status: 400, param: "parameters.temperature") {
                _ = try await store.createPreset(
                    ownerID: alice.id, model: "m", name: "Bad", parameters: ["temperature": .string("hot")],
                    isDefault: false)
            }
            await expectError(status: 400, param: "parameters.colour") {
                _ = try await store.createPreset(
                    ownerID: alice.id, model: "m", name: "Bad", parameters: ["colour": .string("red")], isDefault: false
                )
            }
            await expectError(status: 400, param: "name") {
                _ = try await store.createPreset(
                    ownerID: alice.id, model: "m", name: "  ", parameters: [:], isDefault: false)
            }
            await expectError(status: 400, param: "model") {
                _ = try await store.createPreset(
                    ownerID: alice.id, model: "", name: "x", parameters: [:], isDefault: false)
            }
            await expectError(status: 400, param: "parameters.top_p") {
                _ = try await store.updatePreset(
                    id: preset.id, userID: alice.id, name: nil, parameters: ["top_p": .bool(true)], isDefault: nil)
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func namesAreUniquePerModelUntilDeleted(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(username: "alice")
            let bob = try await store.createUser(username: "bob")
            let first = try await store.createPreset(
                ownerID: alice.id, model: "m", name: "Fast", parameters: [:], isDefault: false)
            await expectError(status: 409, param: "name") {
                _ = try await store.createPreset(
                    ownerID: alice.id, model: "m", name: "FAST", parameters: [:], isDefault: false)
            }
            // Another model, or another user, may use the name.
            _ = try await store.createPreset(
                ownerID: alice.id, model: "n", name: "Fast", parameters: [:], isDefault: false)
            _ = try await store.createPreset(
                ownerID: bob.id, model: "m", name: "Fast", parameters: [:], isDefault: false)
            await expectError(status: 404) { _ = try await store.preset(id: first.id, userID: bob.id) }

            let slow = try await store.createPreset(
                ownerID: alice.id, model: "m", name: "Slow", parameters: [:], isDefault: false)
            await expectError(status: 409, param: "name") {
                _ = try await store.updatePreset(
                    id: slow.id, userID: alice.id, name: "fast", parameters: nil, isDefault: nil)
            }

            try await store.deletePreset(id: first.id, userID: alice.id)
            await expectError(status: 404) { _ = try await store.preset(id: first.id, userID: alice.id) }
            let again = try await store.createPreset(
                ownerID: alice.id, model: "m", name: "Fast", parameters: [:], isDefault: false)
            #expect(again.id != first.id)
            #expect(try await store.presets(userID: alice.id, model: "m").map(\.name) == ["Fast", "Slow"])
        }
    }
}
