// Measures the engine's prefill and decode speed and peak memory on one GGUF file; bench/engine/run.sh
// runs it next to llama.cpp on the same file and prints the ratios.
import Foundation
import ParleyInference

struct Options {
    var model = ""
    var threads = 2
    var promptTokens = 512
    var decodeTokens = 128
    var repeats = 3

    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            let value = iterator.next() ?? ""
            switch argument {
            case "--model": model = value
            case "--threads": threads = Int(value) ?? threads
            case "--prompt-tokens": promptTokens = Int(value) ?? promptTokens
            case "--decode-tokens": decodeTokens = Int(value) ?? decodeTokens
            case "--repeats": repeats = Int(value) ?? repeats
            default:
                FileHandle.standardError.write(Data("unknown option \(argument)\n".utf8))
                exit(2)
            }
        }
    }
}

/// The benchmark's prompt: the same arbitrary token ids bench/engine/llama_cpp_bench.py uses.
func benchmarkPrompt(count: Int, vocabulary: Int) -> [Int32] {
    (0..<count).map { Int32(($0 * 7919 + 13) % (vocabulary - 200) + 100) }
}

func peakResidentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let options = Options(arguments: CommandLine.arguments)
guard !options.model.isEmpty else {
    FileHandle.standardError.write(Data("usage: parley-engine-bench --model FILE [--threads N]\n".utf8))
    exit(2)
}
let baselineKiB = peakResidentKiB()
let pool = ComputePool(threads: options.threads)
let file = try GGUFFile(path: options.model)
let model = try ModelArchitectures.load(file, pool: pool)
let cache = model.makeCache(capacity: 1024)
var logits = [Float](repeating: 0, count: model.vocabularySize)
let prompt = benchmarkPrompt(count: options.promptTokens, vocabulary: model.vocabularySize)

func argmax(_ values: [Float]) -> Int32 {
    var best = 0
    for index in values.indices where values[index] > values[best] { best = index }
    return Int32(best)
}

// Warm-up: pages of the mapping, workspace allocation.
prompt.prefix(8).withUnsafeBufferPointer { model.evaluate($0, cache: cache, outputCount: 1, logits: &logits) }

var prefillTimes: [Double] = []
var decodeTimes: [Double] = []
for _ in 0..<options.repeats {
    cache.truncate(to: 0)
    prefillTimes.append(
        seconds {
            prompt.withUnsafeBufferPointer { model.evaluate($0, cache: cache, outputCount: 1, logits: &logits) }
        })
    decodeTimes.append(
        seconds {
            for _ in 0..<options.decodeTokens {
                let next = [argmax(logits)]
                next.withUnsafeBufferPointer { model.evaluate($0, cache: cache, outputCount: 1, logits: &logits) }
            }
        })
}
let prefill = Double(options.promptTokens) / prefillTimes.sorted()[prefillTimes.count / 2]
let decode = Double(options.decodeTokens) / decodeTimes.sorted()[decodeTimes.count / 2]
let peak = peakResidentKiB()
print(
    """
    {"engine": "parley", "kernels": "\(ComputePool.kernelLevel)", "threads": \(pool.threads), \
    "prefill_tokens_per_second": \(String(format: "%.1f", prefill)), \
    "decode_tokens_per_second": \(String(format: "%.1f", decode)), \
    "peak_rss_mib": \(String(format: "%.1f", Double(peak) / 1024)), \
    "baseline_rss_mib": \(String(format: "%.1f", Double(baselineKiB) / 1024))}
    """)
