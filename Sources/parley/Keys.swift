import ArgumentParser
import Foundation
import ParleyCore
import ParleyServer
import ParleyStorage

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage API keys (for /v1, /ollama/api and /api/v1).",
        subcommands: [Create.self, List.self, Revoke.self],
        defaultSubcommand: List.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key and print its secret (shown this once only).")

        @Option(help: "The key's owner (username).")
        var user: String

        @Option(help: "A name to tell the key apart.")
        var name: String = "cli"

        @Option(name: .customLong("scope"), help: "chat, embeddings or admin; repeat for several (default: all).")
        var scopes: [String] = []

        @Option(name: .customLong("model"), help: "A model the key may use; repeat for several (default: all).")
        var models: [String] = []

        @Option(name: .customLong("expires-in"), help: "Expiry as a duration: 90d, 12h, 30m.")
        var expiresIn: String?

        @Option(name: .customLong("requests-per-minute"), help: "The key's own request rate limit.")
        var requestsPerMinute: Int?

        @Option(name: .customLong("daily-tokens"), help: "The key's own daily token budget.")
        var dailyTokens: Int?

        @OptionGroup var access: StoreAccess

        func run() async throws {
            let scopes = try self.scopes.map { name in
                guard let scope = APIKeyScope(rawValue: name) else {
                    throw ValidationError("'\(name)' is not a scope (chat, embeddings, admin)")
                }
                return scope
            }
            let expires = try expiresIn.map { text -> Timestamp in
                guard let milliseconds = Self.milliseconds(text) else {
                    throw ValidationError("--expires-in: '\(text)' is not a duration like 90d, 12h or 30m")
                }
                return Timestamp(milliseconds: Timestamp.now().milliseconds + milliseconds)
            }
            try await access.withStore { store, _ in
                guard let owner = try await store.user(username: user) else { throw ValidationError("no user named \(user)") }
                if scopes.contains(.admin), owner.role != .admin {
                    throw ValidationError("only an admin's key can have the admin scope")
                }
                let (key, secret) = try await store.createAPIKey(
                    userID: owner.id,
                    NewAPIKey(
                        name: name, scopes: scopes, models: models, requestsPerMinute: requestsPerMinute,
                        dailyTokens: dailyTokens, expiresAt: expires))
                _ = try await store.addRecord(
                    userID: owner.id, action: "key.create", chatID: nil, model: nil,
                    detail: ["key_id": .string(key.id), "name": .string(key.name), "source": "cli"], outcome: "ok")
                FileHandle.standardError.write(Data("created key \(key.id) for \(owner.username); its secret:\n".utf8))
                print(secret)
            }
        }

        static func milliseconds(_ text: String) -> Int64? {
            let units: [(String, Int64)] = [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000)]
            for (suffix, scale) in units where text.hasSuffix(suffix) {
                guard let number = Int64(text.dropLast(suffix.count)), number > 0 else { return nil }
                return number * scale
            }
            return nil
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List API keys (never their secrets).")

        @Option(help: "Only this user's keys (username).")
        var user: String?

        @OptionGroup var access: StoreAccess

        func run() async throws {
            try await access.withStore { store, _ in
                var ownerID: String?
                if let user {
                    guard let owner = try await store.user(username: user) else { throw ValidationError("no user named \(user)") }
                    ownerID = owner.id
                }
                for key in try await store.apiKeys(userID: ownerID) {
                    let state = key.revokedAt != nil ? "revoked" : key.isUsable(at: .now()) ? "active" : "expired"
                    let scopes = key.scopes.isEmpty ? "all" : key.scopes.map(\.rawValue).joined(separator: ",")
                    print([key.id, key.prefix + "…", key.name, state, scopes].joined(separator: "\t"))
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key at once.")

        @Argument(help: "The key's id.")
        var id: String

        @OptionGroup var access: StoreAccess

        func run() async throws {
            try await access.withStore { store, _ in
                let key = try await store.revokeAPIKey(id: id, userID: nil)
                _ = try await store.addRecord(
                    userID: key.userID, action: "key.revoke", chatID: nil, model: nil,
                    detail: ["key_id": .string(key.id), "source": "cli"], outcome: "ok")
                print("revoked \(key.id)")
            }
        }
    }
}
