import Testing

@testable import ParleyInference

@Suite struct SamplerTests {
    static func pick(_ logits: [Float], _ settings: SamplingSettings, history: [Int32] = []) -> Int32 {
        var sampler = Sampler(settings: settings)
        var copy = logits
        return copy.withUnsafeMutableBufferPointer { sampler.sample(logits: $0, history: history[...]) }
    }

    @Test func temperatureZeroPicksTheMostLikelyToken() {
        #expect(Self.pick([0.1, 3, 2.9, -1], .greedy) == 1)
    }

    @Test func theSameSeedDrawsTheSameTokens() {
        var settings = SamplingSettings()
        settings.temperature = 1.5
        settings.topK = 0
        settings.topP = 1
        settings.minP = 0
        settings.seed = 7
        let logits: [Float] = (0..<50).map { Float($0 % 7) / 3 }
        var first = Sampler(settings: settings)
        var second = Sampler(settings: settings)
        var drawsA: [Int32] = []
        var drawsB: [Int32] = []
        for _ in 0..<40 {
            var a = logits
            var b = logits
            drawsA.append(a.withUnsafeMutableBufferPointer { first.sample(logits: $0, history: []) })
            drawsB.append(b.withUnsafeMutableBufferPointer { second.sample(logits: $0, history: []) })
        }
        #expect(drawsA == drawsB)
        #expect(Set(drawsA).count > 3)
    }

    @Test func topKOfOneIsGreedy() {
        var settings = SamplingSettings()
        settings.temperature = 5
        settings.topK = 1
        for seed in 0..<20 {
            settings.seed = UInt64(seed)
            #expect(Self.pick([0.5, 0.4, 2, 1.9], settings) == 2)
        }
    }

    @Test func topPAndMinPKeepOnlyLikelyTokens() {
        var settings = SamplingSettings()
        settings.temperature = 1
        settings.topK = 0
        settings.minP = 0
        settings.topP = 0.5
        // Token 3 holds far more than half the probability: top-p keeps it alone.
        for seed in 0..<20 {
            settings.seed = UInt64(seed)
            #expect(Self.pick([0, 0, 0, 6, 0], settings) == 3)
        }
        settings.topP = 1
        settings.minP = 0.5
        // Tokens 1 and 2 are nearly as likely as 0; 3 and 4 are below half of it.
        var seen: Set<Int32> = []
        for seed in 0..<60 {
            settings.seed = UInt64(seed)
            seen.insert(Self.pick([2, 1.9, 1.95, 0, -1], settings))
        }
        #expect(seen == [0, 1, 2])
    }

    @Test func penaltiesPushDownTokensAlreadySeen() {
        var settings = SamplingSettings.greedy
        settings.repeatPenalty = 2
        #expect(Self.pick([2, 1.5, 0], settings, history: [0]) == 1)
        settings.repeatPenalty = 1
        settings.frequencyPenalty = 0.3
        // Seen twice: 2 - 0.6 < 1.5.
        #expect(Self.pick([2, 1.5, 0], settings, history: [0, 0]) == 1)
        #expect(Self.pick([2, 1.5, 0], settings, history: [0]) == 0)
        settings.frequencyPenalty = 0
        settings.presencePenalty = 1
        #expect(Self.pick([2, 1.5, 0], settings, history: [0]) == 1)
        // Only the last `penaltyWindow` tokens count.
        settings.penaltyWindow = 1
        #expect(Self.pick([2, 1.5, 0], settings, history: [0, 2]) == 0)
    }
}

@Suite struct StopSequenceFilterTests {
    @Test func textThatMayStartAStopStringIsHeldBack() {
        var filter = StopSequenceFilter(stops: ["\nUser:"])
        #expect(filter.feed("Hello") == "Hello")
        #expect(filter.feed(" there\nUs") == " there")
        #expect(filter.feed("ually") == "\nUsually")
        #expect(filter.feed("\nUse") == "")
        #expect(filter.feed("r: hi") == "")
        #expect(filter.stopped)
        #expect(filter.flush() == "")
    }

    @Test func theEarliestStopStringWins() {
        var filter = StopSequenceFilter(stops: ["cd", "b"])
        #expect(filter.feed("abcd") == "a")
        #expect(filter.stopped)
    }

    @Test func heldTextIsSentAtTheEnd() {
        var filter = StopSequenceFilter(stops: ["STOP"])
        #expect(filter.feed("end ST") == "end ")
        #expect(filter.flush() == "ST")
    }
}

@Suite struct UTF8StreamDecoderTests {
    @Test func aCharacterSplitAcrossTokensWaitsForItsLastByte() {
        var decoder = UTF8StreamDecoder()
        let bytes = Array("a😀é".utf8)
        #expect(decoder.feed([bytes[0], bytes[1]]) == "a")
        #expect(decoder.feed([bytes[2], bytes[3]]) == "")
        #expect(decoder.feed([bytes[4], bytes[5]]) == "😀")
        #expect(decoder.feed([bytes[6]]) == "é")
        #expect(decoder.feed([]) == "")
        #expect(decoder.feed([0xE2, 0x82]) == "")
        #expect(decoder.flush() == "\u{FFFD}")
    }
}
