import Foundation
import Testing

@testable import ParleyInference

@Suite struct GGUFFileTests {
    @Test func theDefaultModelParses() throws {
        let file = try TestModel.file()
        #expect(file.version == 3)
        #expect(file.metadata["general.architecture"]?.string == "llama")
        #expect(file.metadata["llama.block_count"]?.int == 30)
        #expect(file.metadata["llama.embedding_length"]?.int == 576)
        #expect(file.metadata["tokenizer.ggml.tokens"]?.stringArray?.count == 49152)
        #expect(file.tensors.count == 272)
        let embedding = try #require(file.tensor(named: "token_embd.weight"))
        #expect(embedding.shape == [576, 49152])
        #expect(embedding.type == .q8_0)
        #expect(embedding.byteCount == 49152 * 576 / 32 * 34)
        #expect(file.tensor(named: "blk.0.ffn_down.weight")?.type == .q4_1)
        #expect(file.data(for: embedding).count == embedding.byteCount)
        let norm = try #require(file.tensor(named: "blk.0.attn_norm.weight"))
        #expect(norm.type == .f32)
        #expect(norm.offset % 32 == 0)
    }

    @Test func everyValueTypeRoundTrips() throws {
        let directory = try TemporaryDirectory()
        var builder = GGUFBuilder()
        builder.version = 2
        builder.alignment = 64
        let values: [(String, GGUFValue)] = [
            ("u8", .uint8(200)), ("i8", .int8(-5)), ("u16", .uint16(65000)), ("i16", .int16(-300)),
            ("u32", .uint32(4_000_000_000)), ("i32", .int32(-7)), ("u64", .uint64(1 << 40)),
            ("i64", .int64(-(1 << 40))),
            ("f32", .float32(1.5)), ("f64", .float64(-2.25)), ("yes", .bool(true)), ("s", .string("héllo")),
            ("strings", .array([.string("a"), .string(""), .string("ü")])),
            ("floats", .array([.float32(0.5), .float32(-1)])),
            ("nested", .array([.array([.int32(1), .int32(2)]), .array([.int32(3)])])),
            ("general.alignment", .uint32(64)),
        ]
        builder.metadata = values
        builder.tensors = [
            ("a", [4, 2], .f32, [UInt8](repeating: 1, count: 32)),
            ("b", [32], .q4_1, [UInt8](repeating: 2, count: 20)),
        ]
        let path = directory.path("values.gguf")
        try builder.write(to: path)
        let file = try GGUFFile(path: path)
        #expect(file.version == 2)
        #expect(file.alignment == 64)
        for (key, value) in values {
            #expect(file.metadata[key] == value, "\(key)")
        }
        #expect(file.metadata["u32"]?.int == 4_000_000_000)
        #expect(file.metadata["i8"]?.double == -5)
        #expect(file.metadata["strings"]?.stringArray == ["a", "", "ü"])
        #expect(file.metadata["floats"]?.floatArray == [0.5, -1])
        #expect(file.metadata["strings"]?.intArray == nil)
        #expect(file.tensors.map(\.name) == ["a", "b"])
        let b = try #require(file.tensor(named: "b"))
        #expect(b.offset == file.tensors[0].offset + 64)
        #expect(b.offset % 64 == 0)
        #expect(Array(file.data(for: b)) == [UInt8](repeating: 2, count: 20))
    }

    @Test func unknownTensorTypeIsNamed() throws {
        let directory = try TemporaryDirectory()
        var bytes = GGUFBuilder(tensors: [("weird", [32], .f32, [UInt8](repeating: 0, count: 128))]).build()
        // The type code sits right after name, dimension count and one dimension.
        let typeOffset = 24 + 8 + 5 + 4 + 8
        bytes[typeOffset] = 99
        let path = directory.path("weird.gguf")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: GGUFError.self) { try GGUFFile(path: path) }
        #expect(error.isUnsupportedTensorType)
        #expect(error.description.contains("unsupported tensor type 99 in tensor weird"))
        #expect(error.description.contains(path))
    }

    @Test func aHugeStringLengthIsAnErrorNotAnAllocation() throws {
        let directory = try TemporaryDirectory()
        var bytes = GGUFBuilder(metadata: [("key", .string("value"))]).build()
        // The key's length is the first field after the 24-byte header.
        withUnsafeBytes(of: UInt64(1 << 60).littleEndian) { bytes.replaceSubrange(24..<32, with: $0) }
        let path = directory.path("huge.gguf")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: GGUFError.self) { try GGUFFile(path: path) }
        #expect(error.isTruncated)
    }

    @Test func missingAndForeignFilesAreErrors() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: GGUFError.self) { try GGUFFile(path: directory.path("absent.gguf")) }
        #expect(throws: GGUFError.self) { try GGUFFile(path: directory.url.path) }
        let text = directory.path("text.gguf")
        try Data("hello, world, this is not a model".utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: GGUFError.self) { try GGUFFile(path: text) }
        let empty = directory.path("empty.gguf")
        try Data().write(to: URL(fileURLWithPath: empty))
        #expect(throws: GGUFError.self) { try GGUFFile(path: empty) }
    }
}
