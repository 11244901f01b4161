import Foundation
import ParleyInference
import Testing

/// Token ids and text must equal llama.cpp's for the same vocabulary, on the whole corpus.
@Suite struct TokenizerParityTests {
    @Test(arguments: TokenizerFixtures.names)
    func idsMatchLlamaCpp(vocabulary name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        let expected = try TokenizerFixtures.expectations(name)
        let corpus = try TokenizerFixtures.corpus()
        try #require(corpus.count == expected.cases.count)
        var mismatches: [String] = []
        for (text, expectedCase) in zip(corpus, expected.cases) {
            let ids = tokenizer.encode(text, addSpecial: false, parseSpecial: true)
            if ids != expectedCase.ids {
                mismatches.append("special, \(text.debugDescription): \(ids) != llama.cpp \(expectedCase.ids)")
            }
            let plain = tokenizer.encode(text, addSpecial: false, parseSpecial: false)
            let expectedPlain = expectedCase.plainIDs ?? expectedCase.ids
            if plain != expectedPlain {
                mismatches.append("plain, \(text.debugDescription): \(plain) != llama.cpp \(expectedPlain)")
            }
        }
        let report = mismatches.prefix(12).joined(separator: "\n")
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(corpus.count * 2) encodings differ:\n\(report)")
    }

    @Test(arguments: TokenizerFixtures.names)
    func textMatchesLlamaCpp(vocabulary name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        let expected = try TokenizerFixtures.expectations(name)
        var mismatches: [String] = []
        for expectedCase in expected.cases {
            let decoded = tokenizer.decode(expectedCase.ids)
            let llama = expectedCase.decoded ?? Self.lossy(hex: expectedCase.decodedHex)
            if decoded != llama {
                mismatches.append("\(expectedCase.ids): \(decoded.debugDescription) != \(llama.debugDescription)")
            }
            let rendered = tokenizer.decode(expectedCase.ids, renderSpecial: true)
            let llamaRendered = expectedCase.rendered ?? expectedCase.renderedHex.map { Self.lossy(hex: $0) } ?? llama
            if rendered != llamaRendered {
                mismatches.append("rendered \(expectedCase.ids): \(rendered.debugDescription)")
            }
        }
        #expect(
            mismatches.isEmpty,
            "\(mismatches.count) decodings differ:\n\(mismatches.prefix(12).joined(separator: "\n"))")
    }

    @Test(arguments: TokenizerFixtures.names)
    func specialTokensMatchLlamaCpp(vocabulary name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        let expected = try TokenizerFixtures.expectations(name)
        #expect(tokenizer.vocabularySize == expected.tokenCount)
        #expect(tokenizer.bosTokenID == expected.bosID)
        #expect(tokenizer.eosTokenID == expected.eosID)
        #expect(tokenizer.addsBOS == expected.addsBOS)
        #expect(tokenizer.addsEOS == expected.addsEOS)
        #expect(tokenizer.endOfGenerationIDs == Set(expected.endOfGenerationIDs))
        let attributes = (0..<Int32(tokenizer.vocabularySize)).compactMap { id -> [UInt32]? in
            let raw = tokenizer.attributes(of: id).rawValue
            return raw == TokenAttributes.normal.rawValue ? nil : [UInt32(id), raw]
        }
        #expect(attributes == expected.specialAttributes)
        for sample in expected.addSpecialCases {
            #expect(tokenizer.encode(sample.text, addSpecial: true, parseSpecial: true) == sample.ids, "\(sample.text)")
            #expect(tokenizer.decode(sample.ids, removeSpecial: true) == sample.decodedRemovingSpecial)
        }
    }

    @Test(arguments: TokenizerFixtures.names)
    func everyPieceMatchesLlamaCpp(vocabulary name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        let expected = try TokenizerFixtures.expectations(name)
        let ids = 0..<Int32(tokenizer.vocabularySize)
        #expect(Self.digest(ids.map { tokenizer.piece(of: $0) }) == expected.pieceDigest)
        #expect(Self.digest(ids.map { tokenizer.piece(of: $0, renderSpecial: true) }) == expected.pieceDigestRendered)
    }

    /// FNV-1a over each piece preceded by its length, as the fixture script computes it.
    static func digest(_ pieces: [[UInt8]]) -> String {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ byte: UInt8) {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01B3
        }
        for piece in pieces {
            let count = UInt32(piece.count)
            for shift in stride(from: 0, to: 32, by: 8) { mix(UInt8(truncatingIfNeeded: count >> UInt32(shift))) }
            piece.forEach(mix)
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func lossy(hex: String?) -> String {
        guard let hex else { return "" }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
