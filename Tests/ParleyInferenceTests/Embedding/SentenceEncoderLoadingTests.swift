import Foundation
import ParleyInference
import Testing

@Suite("Sentence encoder refuses bad model folders")
struct SentenceEncoderLoadingTests {
    /// A copy of the real model folder in which `change` may break things.
    private func brokenCopy(_ change: (URL) throws -> Void) throws -> URL {
        let source = try TestEmbeddingModel.requireDirectory()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("minilm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in ["config.json", "vocab.txt", "tokenizer_config.json", "sentence_bert_config.json"] {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(name), to: copy.appendingPathComponent(name))
        }
        try FileManager.default.createSymbolicLink(
            at: copy.appendingPathComponent("model.safetensors"),
            withDestinationURL: source.appendingPathComponent("model.safetensors"))
        try change(copy)
        return copy
    }

    private func loadError(_ directory: URL) -> EmbeddingModelError? {
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try SentenceEncoder.load(directory: directory, pool: TestModel.pool)
            return nil
        } catch let error as EmbeddingModelError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func aFolderWithoutTheWeightsIsRefusedAsMissing() throws {
        let directory = try brokenCopy { try FileManager.default.removeItem(at: $0.appendingPathComponent("model.safetensors")) }
        let error = try #require(loadError(directory))
        #expect(error.isMissingFile)
        #expect(error.description.contains("model.safetensors"))
    }

    @Test func aTruncatedSafetensorsFileIsRefusedAsCorrupt() throws {
        let source = try TestEmbeddingModel.requireDirectory().appendingPathComponent("model.safetensors")
        let directory = try brokenCopy { copy in
            let target = copy.appendingPathComponent("model.safetensors")
            try FileManager.default.removeItem(at: target)
            let handle = try FileHandle(forReadingFrom: source)
            defer { try? handle.close() }
            try handle.read(upToCount: 100_000)!.write(to: target)
        }
        let error = try #require(loadError(directory))
        #expect(error.isCorrupt)
    }

    @Test func aSafetensorsHeaderThatIsNotJSONIsRefused() throws {
        let directory = try brokenCopy { copy in
            let target = copy.appendingPathComponent("model.safetensors")
            try FileManager.default.removeItem(at: target)
            var bytes: [UInt8] = [16, 0, 0, 0, 0, 0, 0, 0]
            bytes += Array("not json at all!".utf8) + [UInt8](repeating: 0, count: 64)
            try Data(bytes).write(to: target)
        }
        #expect(loadError(directory)?.isCorrupt == true)
    }

    @Test func aHeaderLengthBeyondTheFileIsRefused() throws {
        let directory = try brokenCopy { copy in
            let target = copy.appendingPathComponent("model.safetensors")
            try FileManager.default.removeItem(at: target)
            try Data([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 1, 2, 3]).write(to: target)
        }
        #expect(loadError(directory)?.isCorrupt == true)
    }

    @Test func aConfigurationThatIsNotJSONIsRefused() throws {
        let directory = try brokenCopy { try Data("{ broken".utf8).write(to: $0.appendingPathComponent("config.json")) }
        #expect(loadError(directory)?.isCorrupt == true)
    }

    @Test func aVocabularyWithoutSpecialTokensIsRefused() throws {
        let directory = try brokenCopy { try Data("hello\nworld\n".utf8).write(to: $0.appendingPathComponent("vocab.txt")) }
        #expect(loadError(directory)?.isCorrupt == true)
    }

    @Test func aMissingVocabularyIsRefusedAsMissing() throws {
        let directory = try brokenCopy { try FileManager.default.removeItem(at: $0.appendingPathComponent("vocab.txt")) }
        #expect(loadError(directory)?.isMissingFile == true)
    }
}
