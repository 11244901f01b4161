import ArgumentParser
import Foundation
import Logging
import ParleyServer
import ParleyStorage

/// Opens the configured database for a command that changes it directly (users, keys): the same
/// database `parley serve` uses, which may be running at the same time.
struct StoreAccess: ParsableArguments {
    @OptionGroup var configuration: ConfigurationOptions

    func withStore<T>(_ body: (Store, ParleyConfiguration) async throws -> T) async throws -> T {
        let settings = try configuration.load()
        var logger = Logger(label: "parley")
        logger.logLevel = .warning
        let store = try await Store.open(
            url: settings.databaseURL, dataDirectory: settings.dataDirectory, secretKey: settings.auth.secretKey,
            logger: logger)
        do {
            let result = try await body(store, settings)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}

/// Reads a password: from standard input when asked to (scripts), else at the terminal without echo, twice.
enum PasswordPrompt {
    static func read(fromStandardInput: Bool, prompt: String = "Password: ") throws -> String {
        if fromStandardInput {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("no password on standard input")
            }
            return line
        }
        guard isatty(STDIN_FILENO) != 0 else {
            throw ValidationError("no terminal to ask for a password: use --password-stdin, or --no-password")
        }
        guard let first = getpass(prompt).map({ String(cString: $0) }),
            let second = getpass("Again: ").map({ String(cString: $0) })
        else { throw ValidationError("no password given") }
        guard first == second else { throw ValidationError("the passwords differ") }
        return first
    }
}
