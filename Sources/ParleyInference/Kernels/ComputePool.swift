import CParleyKernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The threads that compute a model's matrix products together: persistent, so that a token's
/// hundreds of parallel loops cost no thread start-up.
///
/// One loop runs at a time; callers on several threads take turns.
public final class ComputePool: @unchecked Sendable {
    let raw: OpaquePointer
    /// Threads in all, the calling thread included.
    public let threads: Int

    /// - Parameter threads: threads to use; by default one per online CPU.
    public init(threads: Int? = nil) {
        let wanted = max(1, threads ?? Self.defaultThreadCount)
        raw = pk_pool_create(Int32(wanted))
        self.threads = Int(pk_pool_threads(raw))
    }

    deinit {
        pk_pool_destroy(raw)
    }

    /// One per online CPU.
    public static var defaultThreadCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// The instruction set the kernels use on this CPU (`avx2-vnni`, `avx2`, `scalar`).
    public static var kernelLevel: String { String(cString: pk_kernel_level_name()) }
}
