import Foundation
import ParleyInference
import Synchronization

/// A one-line progress bar on standard error (a line per tenth when standard error is not a terminal).
final class ProgressBar: Sendable {
    private struct State {
        var lastDraw = ContinuousClock.now - .seconds(1)
        var lastTenth = -1
        var phase: PullProgress.Phase?
    }

    private let state = Mutex(State())
    private let isTerminal = isatty(STDERR_FILENO) != 0
    let label: String

    init(label: String) {
        self.label = label
    }

    func update(_ progress: PullProgress) {
        state.withLock { state in
            let now = ContinuousClock.now
            let phaseChanged = state.phase != progress.phase
            state.phase = progress.phase
            let fraction = progress.totalBytes.map { $0 > 0 ? Double(progress.completedBytes) / Double($0) : 0 }
            if isTerminal {
                guard phaseChanged || now - state.lastDraw > .milliseconds(100) else { return }
                state.lastDraw = now
                write("\r\u{1B}[2K" + line(progress, fraction: fraction))
            } else {
                let tenth = fraction.map { Int($0 * 10) } ?? 0
                guard phaseChanged || tenth > state.lastTenth else { return }
                state.lastTenth = tenth
                write(line(progress, fraction: fraction) + "\n")
            }
        }
    }

    func finish() {
        if isTerminal { write("\n") }
    }

    private func line(_ progress: PullProgress, fraction: Double?) -> String {
        let phase: String
        switch progress.phase {
        case .fetchingPackage: phase = "fetching package"
        case .downloading: phase = "downloading"
        case .extracting: phase = "extracting"
        case .verifying: phase = "verifying"
        }
        let done = ByteCountFormatter.string(fromByteCount: progress.completedBytes, countStyle: .file)
        guard let fraction else { return "\(label): \(phase) \(done)" }
        let width = 30
        let filled = min(width, Int(fraction * Double(width)))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let total = ByteCountFormatter.string(fromByteCount: progress.totalBytes ?? 0, countStyle: .file)
        return "\(label): \(phase) [\(bar)] \(Int(fraction * 100))% \(done) / \(total)"
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
