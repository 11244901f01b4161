// Times Parley's API-key check in process (bench/auth/run.sh prints it beside the HTTP figures).
import Foundation
@_spi(Benchmarks) import ParleyServer

let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 200_000
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-auth-bench-\(UUID().uuidString)").path
defer { try? FileManager.default.removeItem(atPath: directory) }
let result = try await AuthBenchmark.run(dataDirectory: directory, iterations: iterations)

func microseconds(_ duration: Duration) -> String {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return String(format: "%8.2f µs", seconds * 1e6)
}
print("API-key check in process (\(iterations) requests each; the cache keeps verified keys for 10 s)")
print("  valid key, cached        \(microseconds(result.cachedKey))   (target < 50 µs)")
print("  valid key, from database \(microseconds(result.uncachedKey))")
print("  unknown key (cached)     \(microseconds(result.wrongKey))")
print("  no credentials           \(microseconds(result.noCredentials))")
