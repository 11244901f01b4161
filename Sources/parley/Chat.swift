import ArgumentParser
import Foundation
import Logging
import ParleyCore
import ParleyProviders
import ParleyServer

struct Chat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Chat in the terminal with any model Parley can reach (the embedded default model unless told).",
        discussion: "Commands: /model NAME, /models, /system TEXT, /reset, /help, /quit.")

    @OptionGroup var options: ConfigurationOptions

    @Option(help: "The model to start with (default: the configured default model).")
    var model: String?

    @Option(help: "A system prompt.")
    var system: String?

    func run() async throws {
        var configuration = try options.load()
        if options.logLevel == nil { configuration.logLevel = .error }
        let level = configuration.logLevel
        LoggingSystem.bootstrap { StandardErrorLogHandler(label: $0, level: level) }
        let logger = Logger(label: "parley.chat")
        let (router, client) = try makeModelRouter(configuration: configuration, logger: logger)
        defer { Task { try? await client.shutdown() } }
        var session = TerminalChat(router: router, model: model ?? configuration.defaultModel ?? "", system: system)
        try await session.run()
        try? await client.shutdown()
    }
}

/// The read-answer loop of `parley chat`: multi-turn, streaming.
struct TerminalChat {
    let router: ModelRouter
    var model: String
    var system: String?
    var history: [ChatMessage] = []

    init(router: ModelRouter, model: String, system: String?) {
        self.router = router
        self.model = model
        self.system = system
    }

    mutating func run() async throws {
        print("Chatting with \(model.isEmpty ? "(no model; use /model NAME)" : model). /help for commands.")
        while true {
            Self.emit("> ")
            guard let line = readLine() else { break }
            let input = line.trimmingCharacters(in: .whitespaces)
            if input.isEmpty { continue }
            if input.hasPrefix("/") {
                if try await command(input) { continue } else { break }
            }
            await send(input)
        }
    }

    /// Runs a slash command; false ends the chat.
    mutating func command(_ input: String) async throws -> Bool {
        let parts = input.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1] : ""
        switch parts[0] {
        case "/quit", "/exit", "/bye":
            return false
        case "/model":
            guard !argument.isEmpty else {
                print("model: \(model)")
                return true
            }
            do {
                let route = try await router.resolve(argument)
                model = route.id
                print("now chatting with \(model)")
            } catch {
                print("error: \(Self.describe(error))")
            }
        case "/models":
            for info in await router.listModels() { print("  \(info.id)") }
        case "/system":
            system = argument.isEmpty ? nil : argument
            print(system == nil ? "system prompt cleared" : "system prompt set")
        case "/reset":
            history = []
            print("conversation cleared")
        default:
            print("commands: /model NAME, /models, /system TEXT, /reset, /quit")
        }
        return true
    }

    mutating func send(_ text: String) async {
        history.append(.user(text))
        var messages = history
        if let system { messages.insert(.system(system), at: 0) }
        let started = ContinuousClock.now
        var result = ChatResult()
        do {
            let route = try await router.resolve(model)
            var request = ChatRequest(model: route.model, messages: messages)
            request.stream = true
            for try await event in try await route.provider.chat(request) {
                result.apply(event)
                if case .delta(let piece) = event {
                    Self.emit(piece)
                }
            }
            print()
            history.append(.assistant(result.text))
            let seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18
                + Double((ContinuousClock.now - started).components.seconds)
            if let usage = result.usage, seconds > 0 {
                print(String(format: "[%d tokens, %.1f tokens/s]", usage.completionTokens, Double(usage.completionTokens) / seconds))
            }
        } catch {
            history.removeLast()
            print("\nerror: \(Self.describe(error))")
        }
    }

    /// Writes at once, without print's line buffering, so tokens appear as they are made.
    static func emit(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func describe(_ error: any Error) -> String {
        (error as? ParleyError)?.message ?? "\(error)"
    }
}
