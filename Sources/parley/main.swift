import Foundation
import NIOCore
import NIOPosix

// PARLEY_TASK_EXECUTOR=event-loops runs Swift concurrency's jobs on NIO's event loops instead of Swift's
// own thread pool: a request's handler then runs on the thread that read it and its upstream call needs
// no hand-off between threads, which takes about 0.1 ms off a lone request. Under load Swift's pool costs
// less CPU per request (bench/gateway measures both), so it stays the default.
if ProcessInfo.processInfo.environment["PARLEY_TASK_EXECUTOR"] == "event-loops" {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}
/// ArgumentParser's asynchronous entry point: from top-level code `Parley.main()` resolves to the
/// synchronous one, which only prints the help of an asynchronous command.
func runParley() async { await Parley.main() }
await runParley()
