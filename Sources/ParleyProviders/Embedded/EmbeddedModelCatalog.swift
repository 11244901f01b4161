import Foundation
import ParleyCore
import ParleyInference
import Synchronization

/// The GGUF files in the models directory, under the names requests use: the file name without
/// `.gguf` in lower case, the name the store recorded at `parley pull`, and configured aliases.
final class EmbeddedModelCatalog: Sendable {
    struct Entry: Sendable {
        var names: [String]
        var model: InstalledModel
    }

    let store: ModelStore
    /// Alias -> file name (`smollm2` -> `SmolLM2-135M-Instruct.Q4_1.gguf`), matched without case.
    let aliases: [String: String]
    /// Header facts by file, kept while the file's size and date stay the same.
    private let infoCache = Mutex<[String: (size: Int64, modified: Date, info: ModelFileInfo)]>([:])

    init(directory: URL, aliases: [String: String]) {
        store = ModelStore(directory: directory)
        self.aliases = aliases
    }

    func entries() throws -> [Entry] {
        try store.list().map { model in
            let stem = String(model.fileName.dropLast(".gguf".count)).lowercased()
            var names = [stem]
            let recorded = model.name.lowercased()
            if !names.contains(recorded) { names.append(recorded) }
            for (alias, file) in aliases.sorted(by: { $0.key < $1.key }) {
                let target = file.lowercased()
                if target == model.fileName.lowercased() || target == stem, !names.contains(alias.lowercased()) {
                    names.append(alias.lowercased())
                }
            }
            return Entry(names: names, model: model)
        }
    }

    /// The file a request's model name means; Ollama clients' `:latest` tag is ignored.
    func resolve(_ name: String) throws -> InstalledModel? {
        var wanted = name.lowercased()
        if wanted.hasSuffix(":latest") { wanted = String(wanted.dropLast(":latest".count)) }
        if wanted.hasSuffix(".gguf") { wanted = String(wanted.dropLast(".gguf".count)) }
        return try entries().first { $0.names.contains(wanted) }?.model
    }

    /// What the file's header says; nil when it is not a readable GGUF file.
    func info(for model: InstalledModel) -> ModelFileInfo? {
        let path = model.fileURL.path
        if let cached = infoCache.withLock({ $0[path] }), cached.size == model.sizeBytes,
            cached.modified == model.modified
        {
            return cached.info
        }
        guard let info = try? ModelFileInfo(path: path) else { return nil }
        infoCache.withLock { $0[path] = (model.sizeBytes, model.modified, info) }
        return info
    }
}
