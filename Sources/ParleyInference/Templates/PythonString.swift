/// Python's `str` methods, working on Unicode scalars as Python does (Swift's `String` compares
/// and counts by grapheme, which would change lengths, indexes and matches).
enum PythonString {
    typealias Scalars = [Unicode.Scalar]

    static func make(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    // MARK: - Searching

    /// The scalar offset of the first `needle` at or after `from`, or nil.
    static func find(_ haystack: Scalars, _ needle: Scalars, from: Int = 0) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        if needle.isEmpty { return from <= haystack.count ? from : nil }
        var start = from
        while start + needle.count <= haystack.count {
            if haystack[start] == needle[0], haystack[start..<start + needle.count].elementsEqual(needle) {
                return start
            }
            start += 1
        }
        return nil
    }

    static func rfind(_ haystack: Scalars, _ needle: Scalars) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var start = haystack.count - needle.count
        while start >= 0 {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return start }
            start -= 1
        }
        return nil
    }

    static func contains(_ haystack: String, _ needle: String) -> Bool {
        find(Array(haystack.unicodeScalars), Array(needle.unicodeScalars)) != nil
    }

    static func count(_ haystack: String, _ needle: String) -> Int {
        let hay = Array(haystack.unicodeScalars)
        let sub = Array(needle.unicodeScalars)
        if sub.isEmpty { return hay.count + 1 }
        var total = 0
        var start = 0
        while let found = find(hay, sub, from: start) {
            total += 1
            start = found + sub.count
        }
        return total
    }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        text.unicodeScalars.starts(with: prefix.unicodeScalars)
    }

    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        text.unicodeScalars.reversed().starts(with: suffix.unicodeScalars.reversed())
    }

    // MARK: - Transforming

    /// `strip(chars)`; `chars == nil` strips whitespace.
    static func strip(_ text: String, _ chars: String?, leading: Bool = true, trailing: Bool = true) -> String {
        var scalars = Array(text.unicodeScalars)
        let set = chars.map { Set($0.unicodeScalars) }
        let strips: (Unicode.Scalar) -> Bool = { scalar in set.map { $0.contains(scalar) } ?? scalar.isPythonWhitespace
        }
        if trailing {
            while let last = scalars.last, strips(last) { scalars.removeLast() }
        }
        var start = 0
        if leading {
            while start < scalars.count, strips(scalars[start]) { start += 1 }
        }
        return make(scalars[start...])
    }

    /// `replace(old, new, count)`; a negative count replaces all.
    static func replace(_ text: String, _ old: String, _ new: String, count limit: Int = -1) -> String {
        let hay = Array(text.unicodeScalars)
        let sub = Array(old.unicodeScalars)
        let replacement = Array(new.unicodeScalars)
        var out: Scalars = []
        var done = 0
        if sub.isEmpty {
            for (index, scalar) in hay.enumerated() {
                if limit < 0 || done < limit {
                    out += replacement
                    done += 1
                }
                _ = index
                out.append(scalar)
            }
            if limit < 0 || done < limit { out += replacement }
            return make(out)
        }
        var start = 0
        while limit < 0 || done < limit, let found = find(hay, sub, from: start) {
            out += hay[start..<found]
            out += replacement
            start = found + sub.count
            done += 1
        }
        out += hay[start...]
        return make(out)
    }

    /// `split(sep, maxsplit)`; `sep == nil` splits on runs of whitespace and drops empty pieces.
    static func split(_ text: String, _ separator: String?, maxSplit: Int = -1) throws -> [String] {
        let hay = Array(text.unicodeScalars)
        guard let separator else {
            var parts: [String] = []
            var index = 0
            while true {
                while index < hay.count, hay[index].isPythonWhitespace { index += 1 }
                if index == hay.count { break }
                if maxSplit >= 0, parts.count == maxSplit {
                    var end = hay.count
                    while end > index, hay[end - 1].isPythonWhitespace { end -= 1 }
                    parts.append(make(hay[index..<end]))
                    break
                }
                let start = index
                while index < hay.count, !hay[index].isPythonWhitespace { index += 1 }
                parts.append(make(hay[start..<index]))
            }
            return parts
        }
        let sub = Array(separator.unicodeScalars)
        guard !sub.isEmpty else { throw TemplateError.runtime("empty separator") }
        var parts: [String] = []
        var start = 0
        while maxSplit < 0 || parts.count < maxSplit, let found = find(hay, sub, from: start) {
            parts.append(make(hay[start..<found]))
            start = found + sub.count
        }
        parts.append(make(hay[start...]))
        return parts
    }

    /// `rsplit(sep, maxsplit)`.
    static func rsplit(_ text: String, _ separator: String?, maxSplit: Int = -1) throws -> [String] {
        guard maxSplit >= 0 else { return try split(text, separator) }
        let reversed = make(text.unicodeScalars.reversed())
        let reversedSeparator = separator.map { make($0.unicodeScalars.reversed()) }
        return try split(reversed, reversedSeparator, maxSplit: maxSplit).reversed().map {
            make($0.unicodeScalars.reversed())
        }
    }

    /// `splitlines(keepends)`.
    static func splitLines(_ text: String, keepEnds: Bool = false) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var lines: [String] = []
        var start = 0
        var index = 0
        while index < scalars.count {
            guard scalars[index].isPythonLineBoundary else {
                index += 1
                continue
            }
            var end = index + 1
            if scalars[index] == "\r", end < scalars.count, scalars[end] == "\n" { end += 1 }
            lines.append(make(scalars[start..<(keepEnds ? end : index)]))
            start = end
            index = end
        }
        if start < scalars.count { lines.append(make(scalars[start...])) }
        return lines
    }

    // MARK: - Case

    static func upper(_ text: String) -> String {
        text.unicodeScalars.map { $0.properties.uppercaseMapping }.joined()
    }

    static func lower(_ text: String) -> String {
        text.unicodeScalars.map { $0.properties.lowercaseMapping }.joined()
    }

    /// `str.title()`: title-case after an uncased character, lower-case after a cased one.
    static func title(_ text: String) -> String {
        var out = ""
        var previousCased = false
        for scalar in text.unicodeScalars {
            out += previousCased ? scalar.properties.lowercaseMapping : scalar.properties.titlecaseMapping
            previousCased = scalar.properties.isCased
        }
        return out
    }

    /// `str.capitalize()`: the first character title-cased, the rest lower-cased.
    static func capitalize(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return "" }
        return first.properties.titlecaseMapping + lower(make(text.unicodeScalars.dropFirst()))
    }

    // MARK: - Indexing

    /// Python's `slice.indices(length)`.
    static func sliceIndices(count: Int, start: Int?, stop: Int?, step: Int?) throws -> [Int] {
        let step = step ?? 1
        guard step != 0 else { throw TemplateError.runtime("slice step cannot be zero") }
        func adjust(_ value: Int?, _ defaultValue: Int, lower: Int, upper: Int) -> Int {
            guard var value else { return defaultValue }
            if value < 0 { value += count }
            return min(max(value, lower), upper)
        }
        var indices: [Int] = []
        if step > 0 {
            let from = adjust(start, 0, lower: 0, upper: count)
            let to = adjust(stop, count, lower: 0, upper: count)
            var index = from
            while index < to {
                indices.append(index)
                index += step
            }
        } else {
            let from = adjust(start, count - 1, lower: -1, upper: count - 1)
            let to = adjust(stop, -1, lower: -1, upper: count - 1)
            var index = from
            while index > to {
                indices.append(index)
                index += step
            }
        }
        return indices
    }
}
