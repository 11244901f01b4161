import Foundation
import Testing

@testable import ParleyInference

/// Truncated and corrupted files must give errors (or, for harmless corruption, parse), never crash.
@Suite struct GGUFRobustnessTests {
    @Test func aSmallFileCutAtEveryByteIsAnError() throws {
        let directory = try TemporaryDirectory()
        let bytes = Self.smallFile()
        let path = directory.path("cut.gguf")
        for cut in 0..<bytes.count where cut < bytes.count - 32 || cut % 7 == 0 {
            try Data(bytes[0..<cut]).write(to: URL(fileURLWithPath: path))
            #expect(throws: GGUFError.self, "cut at \(cut)") { try GGUFFile(path: path) }
        }
    }

    @Test func aSmallFileWithRandomCorruptionNeverCrashes() throws {
        let directory = try TemporaryDirectory()
        let original = Self.smallFile()
        let path = directory.path("corrupt.gguf")
        var generator = SplitMix64(seed: 42)
        for _ in 0..<600 {
            var bytes = original
            for _ in 0..<Int(generator.next() % 4 + 1) {
                let position = Int(generator.next() % UInt64(bytes.count))
                bytes[position] = UInt8(truncatingIfNeeded: generator.next())
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            _ = try? GGUFFile(path: path)
        }
    }

    @Test func theDefaultModelCutAtManyPointsIsAnError() throws {
        let model = try TestModel.file()
        let directory = try TemporaryDirectory()
        let headerEnd = model.tensors.map(\.offset).min() ?? model.fileSize
        let path = directory.path("cut.gguf")
        var cuts = [0, 3, 4, 8, 16, 23, 24, 31, 100, 1000, headerEnd - 1, headerEnd, model.fileSize - 1]
        var generator = SplitMix64(seed: 7)
        cuts += (0..<40).map { _ in Int(generator.next() % UInt64(headerEnd)) }
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: model.path))
        defer { try? handle.close() }
        for cut in cuts {
            // Data past the header is never read while parsing: a sparse extension keeps this fast.
            let header = Data(model.bytes[0..<min(cut, headerEnd)])
            try header.write(to: URL(fileURLWithPath: path))
            if cut > headerEnd { try Self.extend(path, to: cut) }
            #expect(throws: GGUFError.self, "cut at \(cut)") { try GGUFFile(path: path) }
        }
    }

    @Test func theDefaultModelWithRandomCorruptionNeverCrashes() throws {
        let model = try TestModel.file()
        let directory = try TemporaryDirectory()
        let headerEnd = model.tensors.map(\.offset).min() ?? model.fileSize
        let original = Array(model.bytes[0..<headerEnd])
        let path = directory.path("corrupt.gguf")
        var generator = SplitMix64(seed: 11)
        // Early bytes hold the counts and the first lengths: corrupt there more often.
        for round in 0..<60 {
            var bytes = original
            let span = round % 2 == 0 ? min(4096, bytes.count) : bytes.count
            for _ in 0..<Int(generator.next() % 3 + 1) {
                bytes[Int(generator.next() % UInt64(span))] = UInt8(truncatingIfNeeded: generator.next())
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            try Self.extend(path, to: model.fileSize)
            _ = try? GGUFFile(path: path)
        }
    }

    private static func extend(_ path: String, to size: Int) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
    }

    private static func smallFile() -> [UInt8] {
        GGUFBuilder(
            metadata: [
                ("general.architecture", .string("llama")),
                ("list", .array([.string("x"), .string("yy")])),
                ("n", .uint32(5)),
            ],
            tensors: [
                ("w", [32, 2], .q8_0, [UInt8](repeating: 3, count: 68)),
                ("v", [8], .f32, [UInt8](repeating: 0, count: 32)),
            ]
        ).build()
    }
}

/// A small deterministic generator for tests.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
