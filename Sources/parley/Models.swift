import ArgumentParser
import Foundation
import ParleyInference

struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the models installed for the embedded engine.",
        subcommands: [List.self, Remove.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List installed models.")

        @Option(help: "Data directory (PARLEY_DATA; default ~/.parley).")
        var data: String?

        func run() async throws {
            let store = ModelStore(directory: dataDirectory(data).appendingPathComponent("models"))
            let models = try store.list()
            guard !models.isEmpty else {
                print("No models installed in \(store.directory.path). Try: parley pull smollm2")
                return
            }
            let rows = models.map { model in
                [
                    model.name, ByteCountFormatter.string(fromByteCount: model.sizeBytes, countStyle: .file),
                    String((model.sha256 ?? "-").prefix(12)), model.source ?? "-",
                ]
            }
            let header = ["NAME", "SIZE", "SHA256", "SOURCE"]
            let widths = (0..<header.count).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
            for row in [header] + rows {
                print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Delete an installed model.")

        @Argument(help: "The model's name (as listed).")
        var name: String

        @Option(help: "Data directory (PARLEY_DATA; default ~/.parley).")
        var data: String?

        func run() async throws {
            let store = ModelStore(directory: dataDirectory(data).appendingPathComponent("models"))
            let removed = try store.remove(name)
            print("removed \(removed.name) (\(removed.fileURL.path))")
        }
    }
}
