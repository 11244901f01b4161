import Foundation
import ParleyCore

/// The built-in embedding model, all-MiniLM-L6-v2, run in-process (no server, no API key).
public struct LocalEmbedder: TextEmbedder {
    public var model: String { "local/all-MiniLM-L6-v2" }
    public var dimensions: Int { 384 }

    /// Loads the model's files from `directory`.
    public init(directory: URL) throws {
        // The encoder itself is being written on another branch; until it lands there is no local model.
        throw ParleyError.unavailable("the built-in embedding model is not available in this build")
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] { [] }
}
