/// The words of a query worth searching for: lower-cased letters and digits, without the common English
/// words that every chunk holds (they add nothing to the ranking and make full-text search slow).
enum QueryWords {
    static let stopwords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "did", "do", "does", "for", "from", "had", "has",
        "have", "how", "i", "in", "is", "it", "its", "me", "my", "of", "on", "or", "our", "so", "that", "the",
        "their", "them", "there", "these", "they", "this", "to", "was", "we", "were", "what", "when", "where",
        "which", "who", "whom", "why", "will", "with", "you", "your", "about", "into", "than", "then", "any",
        "tell", "please", "should", "would", "could", "much", "many",
    ]

    static func of(_ query: String, limit: Int = 32) -> [String] {
        var seen: Set<String> = []
        var words: [String] = []
        for word in query.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }) {
            let word = String(word)
            guard !stopwords.contains(word), seen.insert(word).inserted else { continue }
            words.append(word)
            if words.count == limit { break }
        }
        return words
    }
}
