import Foundation

/// The table the benchmark prints: one line per figure, with its target where it has one.
struct Report {
    struct Line {
        var name: String
        var median: String
        var p99: String
        var target: String
        var met: String
    }

    private(set) var lines: [Line] = []

    /// A latency figure in milliseconds; `target` in milliseconds, met when the median is under it.
    mutating func latency(_ name: String, _ timings: Timings, targetMs: Double?) {
        let median = timings.median * 1000
        lines.append(
            Line(
                name: name, median: Self.format(median, "ms"), p99: Self.format(timings.p99 * 1000, "ms"),
                target: targetMs.map { "< " + Self.format($0, "ms") } ?? "-",
                met: targetMs.map { median < $0 ? "yes" : "NO" } ?? "-"))
    }

    /// A rate (higher is better); its p99 is the slowest of the runs (the first percentile of the rate).
    mutating func rate(_ name: String, perSecond rates: [Double], unit: String) {
        let timings = Timings(rates)
        lines.append(
            Line(
                name: name, median: Self.format(timings.median, unit), p99: Self.format(timings.percentile(1), unit),
                target: "-", met: "-"))
    }

    func print(title: String) {
        Swift.print("\n\(title)")
        Swift.print("(median and p99 of repeated runs; a target is met when the median is under it)")
        let header = Line(name: "figure", median: "median", p99: "p99", target: "target", met: "met")
        let all = [header] + lines
        let widths = [
            all.map(\.name.count).max()!, all.map(\.median.count).max()!, all.map(\.p99.count).max()!,
            all.map(\.target.count).max()!, all.map(\.met.count).max()!,
        ]
        for (index, line) in all.enumerated() {
            let cells = [line.name, line.median, line.p99, line.target, line.met]
            Swift.print(
                zip(cells, widths).enumerated().map { column, pair in
                    column == 0 ? pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0) : pad(pair.0, pair.1)
                }.joined(separator: "  "))
            if index == 0 { Swift.print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: width - text.count) + text
    }

    static func format(_ value: Double, _ unit: String) -> String {
        let digits = value < 10 ? 2 : value < 100 ? 1 : 0
        return String(format: "%.\(digits)f", value) + " " + unit
    }
}
