import Foundation

/// A made-up language with a realistic shape: a few hundred common English words at the top, then tens of
/// thousands of generated words, drawn with Zipf's law so that word frequencies (and so the selectivity of
/// full-text queries) look like real text.
struct Vocabulary: Sendable {
    /// Words by rank: `words[0]` is the most common.
    let words: [String]
    private let cumulative: [Double]

    init(size: Int, exponent: Double = 1.05, seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var words = Self.common
        var seen = Set(words)
        let onsets = [
            "", "b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "pl", "r", "s",
            "sh", "st", "t", "tr", "v", "w", "z",
        ]
        let vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "y"]
        let codas = ["", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "rk", "ng", "x"]
        while words.count < size {
            let syllables = Int.random(in: 1...4, using: &random)
            var word = ""
            for _ in 0..<syllables {
                word +=
                    onsets.randomElement(using: &random)! + vowels.randomElement(using: &random)!
                    + codas.randomElement(using: &random)!
            }
            if word.count >= 3, seen.insert(word).inserted { words.append(word) }
        }
        self.words = words
        var total = 0.0
        cumulative = (1...words.count).map { rank in
            total += 1 / pow(Double(rank), exponent)
            return total
        }
    }

    /// The rank of a word drawn at random.
    func draw(using random: inout SeededRandom) -> Int {
        let target = Double.random(in: 0..<cumulative[cumulative.count - 1], using: &random)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] <= target { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Sentences of `count` words in all, counting each word drawn into `counts` (by rank).
    func text(words count: Int, counts: inout [Int], using random: inout SeededRandom) -> String {
        var text = ""
        text.reserveCapacity(count * 7)
        var sentenceLeft = 0
        for index in 0..<count {
            let rank = draw(using: &random)
            counts[rank] += 1
            if sentenceLeft == 0 {
                if index > 0 { text += ". " }
                sentenceLeft = Int.random(in: 5...18, using: &random)
                text += words[rank].prefix(1).uppercased() + words[rank].dropFirst()
            } else {
                text += (Int.random(in: 0..<12, using: &random) == 0 ? ", " : " ") + words[rank]
            }
            sentenceLeft -= 1
        }
        return text + "."
    }

    private static let common = """
        the of and to a in is it you that he was for on are with as I his they be at one have this from or had by
        not word but what some we can out other were all there when up use your how said an each she which do
        their time if will way about many then them write would like so these her long make thing see him two
        has look more day could go come did number sound no most people my over know water than call first who
        may down side been now find any new work part take get place made live where after back little only
        round man year came show every good me give our under name very through just form sentence great think
        say help low line differ turn cause much mean before move right boy old too same tell does set three
        want air well also play small end put home read hand port large spell add even land here must big high
        such follow act why ask men change went light kind off need house picture try us again animal point
        mother world near build self earth father model server query table value error function code data
        """.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
}

/// A small, fast, seeded generator (SplitMix64), so that every run seeds the same data.
struct SeededRandom: RandomNumberGenerator, Sendable {
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
