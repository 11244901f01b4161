import Foundation
import NIOCore
import NIOPosix

// PARLEY_TASK_EXECUTOR=event-loops runs Swift concurrency's jobs on NIO's event loops instead of Swift's
// own thread pool. Requests run on their connection's event loop either way (LoopBoundHTTP1Channel); this
// moves the rest (background jobs, model-list refreshes, ingestion's bookkeeping) there too. bench/gateway
// measures both; neither is faster there, so Swift's pool stays the default.
if ProcessInfo.processInfo.environment["PARLEY_TASK_EXECUTOR"] == "event-loops" {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}
/// ArgumentParser's asynchronous entry point: from top-level code `Parley.main()` resolves to the
/// synchronous one, which only prints the help of an asynchronous command.
func runParley() async { await Parley.main() }
await runParley()
