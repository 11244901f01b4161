import ArgumentParser
import Foundation
import ParleyCore
import ParleyServer
import ParleyStorage

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage users (auth modes local and trusted-header).",
        subcommands: [Create.self, List.self, Password.self],
        defaultSubcommand: List.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user; asks for the password unless --password-stdin or --no-password.")

        @Argument(help: "Username: letters, digits, '.', '-', '_' and '@'.")
        var name: String

        @Flag(help: "Make the user an admin.")
        var admin = false

        @Option(name: .customLong("display-name"), help: "Name shown in the UI (default: the username).")
        var displayName: String?

        @Flag(name: .customLong("password-stdin"), help: "Read the password from the first line of standard input.")
        var passwordFromStandardInput = false

        @Flag(name: .customLong("no-password"), help: "No password (a user who signs in through a trusted proxy or a key).")
        var noPassword = false

        @OptionGroup var access: StoreAccess

        func run() async throws {
            let password = noPassword ? nil : try PasswordPrompt.read(fromStandardInput: passwordFromStandardInput)
            try await access.withStore { store, settings in
                var hash: String?
                if let password { hash = try await Passwords.hash(password, cost: settings.auth.bcryptCost) }
                let user = try await store.createUser(
                    username: name, displayName: displayName, role: admin ? .admin : .user, passwordHash: hash)
                _ = try await store.addRecord(
                    userID: user.id, action: "user.create", chatID: nil, model: nil,
                    detail: ["username": .string(user.username), "source": "cli"], outcome: "ok")
                print("created \(user.role.rawValue) \(user.username) (\(user.id))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")

        @OptionGroup var access: StoreAccess

        func run() async throws {
            try await access.withStore { store, _ in
                var cursor: String?
                repeat {
                    let page = try await store.users(cursor: cursor, limit: 200)
                    for user in page.items {
                        print([user.username, user.role.rawValue, user.displayName, user.id].joined(separator: "\t"))
                    }
                    cursor = page.nextCursor
                } while cursor != nil
            }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "password", abstract: "Set a user's password (signs out their browsers).")

        @Argument(help: "Username.")
        var name: String

        @Flag(name: .customLong("password-stdin"), help: "Read the password from the first line of standard input.")
        var passwordFromStandardInput = false

        @OptionGroup var access: StoreAccess

        func run() async throws {
            let password = try PasswordPrompt.read(fromStandardInput: passwordFromStandardInput)
            try await access.withStore { store, settings in
                guard let user = try await store.user(username: name) else { throw ValidationError("no user named \(name)") }
                let hash = try await Passwords.hash(password, cost: settings.auth.bcryptCost)
                _ = try await store.updateUser(id: user.id, UserChanges(passwordHash: .some(hash)))
                _ = try await store.addRecord(
                    userID: user.id, action: "user.password", chatID: nil, model: nil, detail: ["source": "cli"],
                    outcome: "ok")
                print("password of \(user.username) changed")
            }
        }
    }
}
