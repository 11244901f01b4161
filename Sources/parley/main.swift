import Foundation
import NIOCore
import NIOPosix

// Swift concurrency's jobs run on NIO's event loops rather than on a pool of their own: a request's
// handler then runs on the thread that read it, and the upstream call's I/O needs no hand-off between
// threads. Every long computation (the engine, embeddings, bcrypt, SQLite) already runs on threads of its
// own. PARLEY_TASK_EXECUTOR=pool keeps Swift's own pool (for comparison in bench/gateway).
if ProcessInfo.processInfo.environment["PARLEY_TASK_EXECUTOR"] != "pool" {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}
/// ArgumentParser's asynchronous entry point: from top-level code `Parley.main()` resolves to the
/// synchronous one, which only prints the help of an asynchronous command.
func runParley() async { await Parley.main() }
await runParley()
