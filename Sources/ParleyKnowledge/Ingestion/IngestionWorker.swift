import Foundation
import Logging
import ParleyStorage
import ServiceLifecycle

/// Runs queued ingestion jobs one at a time until shutdown. Jobs live in the database: one left by a
/// stopped server is taken up again once its lease runs out (at once after a restart on SQLite, where no
/// other process can own it), and replicas never run the same job at once.
public struct IngestionWorker: Service {
    let store: Store
    let ingestor: Ingestor
    let worker: String
    let pollInterval: Duration
    let logger: Logger

    public init(store: Store, ingestor: Ingestor, pollInterval: Duration = .milliseconds(500), logger: Logger) {
        self.store = store
        self.ingestor = ingestor
        self.worker = ingestor.worker
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await store.requeueInterruptedKnowledgeJobs()
        } catch {
            logger.warning("cannot requeue interrupted ingestion jobs", metadata: ["parley.error": "\(error)"])
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if let job = try await store.claimKnowledgeJob(
                        worker: worker, leaseMilliseconds: ingestor.settings.leaseMilliseconds)
                    {
                        await ingestor.run(job)
                        continue
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("cannot claim an ingestion job", metadata: ["parley.error": "\(error)"])
                }
                try? await Task.sleep(for: pollInterval)
            }
        }
    }

    /// Runs every waiting job in this task and returns (tests and the CLI use it instead of the service).
    public func drain() async throws {
        while let job = try await store.claimKnowledgeJob(
            worker: worker, leaseMilliseconds: ingestor.settings.leaseMilliseconds)
        {
            await ingestor.run(job)
        }
    }
}
