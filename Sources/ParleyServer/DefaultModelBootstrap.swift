import Foundation
import Logging
import ParleyInference
import Synchronization

/// On a fresh machine the default model is not there yet: fetch it before serving, with its progress
/// in the log, so `parley serve` with no configuration answers `model: smollm2`.
public enum DefaultModelBootstrap {
    /// Pulls the default model when it is a model `parley pull` knows, an embedded provider would serve
    /// it, and it is not installed. A failed pull is logged, not fatal: the other providers still serve.
    public static func ensureDefaultModel(configuration: ParleyConfiguration, logger: Logger) async {
        guard configuration.embeddedAutoPull, let requested = configuration.defaultModel else { return }
        let embedded = configuration.providers.filter { $0.enabled && $0.kind == .embedded }
        var providerName: String?
        var modelName = requested
        if let slash = requested.firstIndex(of: "/") {
            providerName = String(requested[..<slash])
            modelName = String(requested[requested.index(after: slash)...])
        }
        guard let provider = embedded.first(where: { providerName == nil || $0.name == providerName }),
            let known = KnownModel.named(modelName)
        else { return }
        let store = ModelStore(directory: modelsDirectory(of: provider, configuration: configuration))
        if (try? store.find(known.fileName)) != nil { return }

        logger.notice(
            "Pulling the default model (first start)",
            metadata: ["parley.model": .string(known.name), "parley.directory": .string(store.directory.path)])
        let lastTenth = Mutex(-1)
        do {
            let model = try await store.pull(.known(known), options: PullOptions()) { progress in
                guard let total = progress.totalBytes, total > 0 else { return }
                let tenth = Int(progress.completedBytes * 10 / total)
                let report = lastTenth.withLock { last -> Bool in
                    guard tenth > last else { return false }
                    last = tenth
                    return true
                }
                if report {
                    logger.notice(
                        "Pulling the default model",
                        metadata: ["parley.model": .string(known.name), "parley.progress": "\(tenth * 10)%"])
                }
            }
            logger.notice(
                "Default model ready",
                metadata: ["parley.model": .string(known.name), "parley.path": .string(model.fileURL.path)])
        } catch {
            logger.error(
                "Could not pull the default model; run `parley pull \(known.name)`",
                metadata: ["parley.model": .string(known.name), "parley.error": .string("\(error)")])
        }
    }
}
