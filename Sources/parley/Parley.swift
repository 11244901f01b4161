import ArgumentParser

struct Parley: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "A self-hosted hub for chatting with many language models.",
        discussion: """
            Parley is at once a chat web app, an OpenAI- and Ollama-compatible gateway over many model servers, \
            and a built-in GGUF inference engine. Run `parley serve` and point any OpenAI client at \
            http://127.0.0.1:8080/v1.
            """,
        subcommands: [Serve.self, Chat.self, Pull.self, Models.self, Users.self, Keys.self, Ingest.self],
        defaultSubcommand: Serve.self
    )
}
