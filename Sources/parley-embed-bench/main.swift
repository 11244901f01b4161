// Measures the local sentence encoder's throughput: encodes the lines of a file (one sentence a
// line) with all-MiniLM-L6-v2 and prints JSON with sentences per second. bench/knowledge/embed.sh
// runs it next to sentence-transformers on the same sentences and prints the ratio.
import Foundation
import ParleyInference

var model = ""
var input = ""
var output = ""
var threads = 2
var repeats = 3
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    let value = arguments.next() ?? ""
    switch argument {
    case "--model": model = value
    case "--input": input = value
    case "--output": output = value
    case "--threads": threads = Int(value) ?? threads
    case "--repeats": repeats = Int(value) ?? repeats
    default:
        FileHandle.standardError.write(Data("unknown option \(argument)\n".utf8))
        exit(2)
    }
}
guard !model.isEmpty, !input.isEmpty, let text = try? String(contentsOfFile: input, encoding: .utf8) else {
    FileHandle.standardError.write(
        Data(
            "usage: parley-embed-bench --model DIR --input SENTENCES.txt [--output VECTORS.json] [--threads N]\n"
                .utf8))
    exit(2)
}
let sentences = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }

let loadStart = ContinuousClock.now
let encoder = try SentenceEncoder.load(directory: URL(fileURLWithPath: model), pool: ComputePool(threads: threads))
let loadSeconds = (ContinuousClock.now - loadStart) / .seconds(1)

// One warm-up pass, then the best of `repeats`.
var vectors = try encoder.encode(Array(sentences.prefix(64)))
var best = Double.infinity
for _ in 0..<repeats {
    let start = ContinuousClock.now
    vectors = try encoder.encode(sentences)
    best = min(best, (ContinuousClock.now - start) / .seconds(1))
}
let tokens = sentences.reduce(0) { $0 + min($1.isEmpty ? 2 : encoder.tokenCount($1) + 2, encoder.maxTokens) }
if !output.isEmpty {
    let data = try JSONSerialization.data(withJSONObject: vectors.map { $0.map(Double.init) })
    try data.write(to: URL(fileURLWithPath: output))
}
let report: [String: Any] = [
    "sentences": sentences.count, "tokens": tokens, "seconds": best,
    "sentences_per_second": Double(sentences.count) / best,
    "load_seconds": loadSeconds, "threads": threads, "kernels": SentenceEncoder.kernelName,
]
print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))
