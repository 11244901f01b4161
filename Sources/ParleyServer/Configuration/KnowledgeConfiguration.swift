import Configuration
import Foundation
import Logging
import ParleyCore
import ParleyInference
import ParleyKnowledge
import ParleyProviders

/// The `knowledge.*` keys (environment `PARLEY_KNOWLEDGE_*`):
///
/// | key                                 | default                          |
/// |-------------------------------------|----------------------------------|
/// | `knowledge.embedding_model`         | `local` (all-MiniLM-L6-v2), `none`, or `provider/model` |
/// | `knowledge.embedding_model_dir`     | `PARLEY_EMBEDDING_MODEL_DIR`, else `<data>/models/all-minilm-l6-v2` |
/// | `knowledge.chunk_size` (tokens)     | `200`                            |
/// | `knowledge.chunk_overlap` (tokens)  | `40`                             |
/// | `knowledge.max_document_size` (bytes) | `33554432` (32 MiB)            |
/// | `knowledge.fetch_timeout`           | `30s`                            |
/// | `knowledge.max_redirects`           | `5`                              |
/// | `knowledge.allow_networks`          | none (comma-separated CIDRs, e.g. `127.0.0.0/8,10.1.0.0/16`) |
/// | `knowledge.top_k`                   | `5`                              |
/// | `knowledge.min_score` (0–1)         | `0`                              |
public struct KnowledgeConfiguration: Sendable {
    public var settings = KnowledgeSettings()
    /// `local`, `none`, or a model the router knows (`provider/model`) to embed through its provider.
    public var embeddingModel = "local"
    /// Where the local model's files are (`model.safetensors`, `vocab.txt`, `tokenizer.json`).
    public var embeddingModelDirectory: String?

    public init() {}

    init(
        reader: ConfigReader, integer: (String, ClosedRange<Int>) throws -> Int?,
        duration: (String) throws -> Duration?,
        fail: (String, String) -> ConfigurationError
    ) throws {
        if let model = reader.string(forKey: "knowledge.embedding_model"), !model.isEmpty { embeddingModel = model }
        if let directory = reader.string(forKey: "knowledge.embedding_model_dir"), !directory.isEmpty {
            embeddingModelDirectory = directory
        }
        if let size = try integer("knowledge.chunk_size", 16...4096) { settings.chunkSize = size }
        if let overlap = try integer("knowledge.chunk_overlap", 0...2048) { settings.chunkOverlap = overlap }
        if let bytes = try integer("knowledge.max_document_size", 1024...(1 << 34)) {
            settings.maxDocumentBytes = bytes
        }
        if let timeout = try duration("knowledge.fetch_timeout") { settings.fetchTimeout = timeout }
        if let redirects = try integer("knowledge.max_redirects", 0...20) { settings.maxRedirects = redirects }
        if let topK = try integer("knowledge.top_k", 1...100) { settings.topK = topK }
        if let text = reader.string(forKey: "knowledge.min_score") {
            guard let score = Double(text), (0...1).contains(score) else {
                throw fail("knowledge.min_score", "'\(text)' is not a number from 0 to 1")
            }
            settings.minScore = score
        }
        if let text = reader.string(forKey: "knowledge.allow_networks") {
            settings.allowNetworks = try text.split(separator: ",").map { piece in
                guard let network = IPNetwork(String(piece)) else {
                    throw fail("knowledge.allow_networks", "'\(piece)' is not an address or a CIDR range")
                }
                return network
            }
        }
    }
}

extension KnowledgeConfiguration {
    /// The embedder this configuration names: nil for `none`, or when the local model is not installed
    /// (search is then by full text only, and the log says so).
    func embedder(router: ModelRouter, dataDirectory: String, logger: Logger) -> (any TextEmbedder)? {
        switch embeddingModel {
        case "none":
            return nil
        case "local":
            let directory =
                embeddingModelDirectory.map { URL(fileURLWithPath: $0) }
                ?? EmbeddingModelLocator.directory(
                    modelsDirectory: URL(fileURLWithPath: dataDirectory).appendingPathComponent("models"))
            do {
                return try LocalEmbedder(directory: directory)
            } catch {
                logger.warning(
                    "knowledge: no local embedding model, so retrieval uses full-text search only",
                    metadata: ["parley.knowledge.model_dir": "\(directory.path)", "parley.error": "\(error)"])
                return nil
            }
        default:
            return ProviderEmbedder(router: router, modelID: embeddingModel)
        }
    }
}
