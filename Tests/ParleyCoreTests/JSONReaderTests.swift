import Foundation
import ParleyCore
import Testing

@Suite struct JSONReaderTests {
    private func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try JSONValue.parse(Array(text.utf8))
    }

    @Test func decodesEveryEscapeIncludingSurrogatePairs() throws {
        let value = try parse(#"["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u4e2d", "\ud83d\ude00", "caf\u00E9 ok"]"#)
        #expect(value == .array([.string("a\"b\\c/d\u{8}\u{C}\n\r\t"), .string("é中"), .string("😀"), .string("café ok")]))
    }

    @Test func keepsTextThatIsAlreadyUTF8AndReplacesLoneSurrogates() throws {
        #expect(try parse(#""naïve — 日本語 😀""#) == .string("naïve — 日本語 😀"))
        #expect(try parse(#""x\ud800y""#) == .string("x\u{FFFD}y"))
        #expect(try parse(#""\ud800\u0041""#) == .string("\u{FFFD}A"))
    }

    @Test func readsNumbersExactlyAsTheStandardLibraryDoes() throws {
        for text in [
            "0", "-0", "7", "-12", "123456789012345", "1234567890123456789", "0.1", "-2.5e-3", "1E10", "6.02214076e23",
            "9007199254740993", "1e-320",
        ] {
            #expect(try parse(text) == .number(Double(text)!), "\(text)")
        }
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "1.", ".5", "-", "1e", "+1", "NaN",
        "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"a\u{1}b\"", "[1]]", "1e999", "{} {}", "'a'",
    ])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try parse(text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }
    }

    @Test func saysWhereTheTextGoesWrong() {
        do {
            _ = try parse("{\n  \"model\": \"x\",\n  \"messages\": [1,,]\n}")
            Issue.record("parsed")
        } catch {
            #expect("\(error)" == "unexpected character ',' at line 3, column 18")
            #expect(error.offset == 35)
        }
    }

    @Test func refusesDocumentsNestedPastTheLimitWithoutCrashing() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try parse(deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) { try parse(fine) }
    }

    @Test func lastOfRepeatedMembersWins() throws {
        #expect(try parse(#"{"a": 1, "a": 2}"#) == .object(["a": 2]))
    }

    @Test func agreesWithFoundationOnGeneratedDocuments() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let value = Self.randomValue(depth: 0, using: &generator)
            let foundation = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
            let parsed = try JSONValue.parse(foundation)
            #expect(parsed == Self.jsonValue(value))
            // Foundation reads back what the writer wrote (its reader rounds some doubles in the last digit,
            // so numbers are compared loosely there and exactly through the standard library's parser).
            let written = try JSONSerialization.jsonObject(with: parsed.jsonData(), options: [.fragmentsAllowed])
            #expect(Self.nearlyEqual(Self.jsonValue(written), parsed))
            #expect(try JSONValue.parse(parsed.jsonBytes()) == parsed)
        }
    }

    /// What Foundation's objects mean as a ``JSONValue`` (the generator makes no booleans, which
    /// Foundation cannot tell from numbers).
    private static func jsonValue(_ object: Any) -> JSONValue {
        switch object {
        case let text as String: return .string(text)
        case let number as NSNumber: return .number(number.doubleValue)
        case let array as [Any]: return .array(array.map(jsonValue))
        case let object as [String: Any]: return .object(object.mapValues(jsonValue))
        default: return .null
        }
    }

    private static func nearlyEqual(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.number(let a), .number(let b)): return abs(a - b) <= 1e-12 * max(abs(a), abs(b))
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { nearlyEqual($0, $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { nearlyEqual(value, $0) } ?? false }
        default: return left == right
        }
    }

    private static func randomValue(depth: Int, using generator: inout SystemRandomNumberGenerator) -> Any {
        let kind = depth > 3 ? Int.random(in: 0..<4, using: &generator) : Int.random(in: 0..<6, using: &generator)
        switch kind {
        case 0: return NSNull()
        case 1: return Int.random(in: -1_000_000...1_000_000, using: &generator)
        case 2: return Double.random(in: -1e6...1e6, using: &generator)
        case 3:
            let alphabet = Array("ab \"\\/\n\t\u{1}é中😀{}[],:")
            return String((0..<Int.random(in: 0..<12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        case 4: return (0..<Int.random(in: 0..<4, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) }
        default:
            var object: [String: Any] = [:]
            for index in 0..<Int.random(in: 0..<4, using: &generator) {
                object["k\(index)\u{e9}"] = randomValue(depth: depth + 1, using: &generator)
            }
            return object
        }
    }
}

@Suite struct JSONWriterTests {
    @Test func escapesOnlyWhatJSONRequires() {
        #expect(JSONValue.string("a/b \"q\" \\ é\n\u{1}").jsonString() == #""a/b \"q\" \\ é\n\u0001""#)
    }

    @Test func placesCommasBetweenMembersAndElements() {
        var json = JSONWriter()
        json.beginObject()
        json.member("id", "x")
        json.member("content", nil)
        json.key("list")
        json.beginArray()
        json.int(1)
        json.beginObject()
        json.endObject()
        json.beginArray()
        json.endArray()
        json.number(2.5)
        json.bool(true)
        json.endArray()
        json.member("n", 3)
        json.endObject()
        #expect(String(decoding: json.bytes, as: UTF8.self) == #"{"id":"x","content":null,"list":[1,{},[],2.5,true],"n":3}"#)
    }

    @Test func writesNumbersThatReadBackTheSame() throws {
        for number in [0.1, -2.5e-3, 1e21, 6.02214076e23, 123456.789, 9.007199254740992e15, -0.0, 5e-324] {
            let text = JSONValue.number(number).jsonString()
            #expect(Double(text) == number, "\(text)")
        }
        #expect(JSONValue.number(42).jsonString() == "42")
        #expect(JSONValue.number(.nan).jsonString() == "null")
    }

    @Test func keepsOnlyTheNamedMembersAtEveryDepth() throws {
        let text = #"{"id": "chatcmpl-1", "choices": [{"index": 0, "logprobs": {"content": [1, 2]}, "delta": {"content": "Hi", "role": "assistant"}}], "created": 17, "fingerprint": "a\"b"}"#
        let value = try JSONValue.parse(Array(text.utf8), keeping: JSONMemberNames(["choices", "index", "delta", "content"]))
        #expect(value == ["choices": [["index": 0, "delta": ["content": "Hi"]]]])
    }

    @Test(arguments: [
        #"{"skipped": "no end}"#,
        "{\"skipped\": \"a\u{01}b\", \"kept\": 1}",
        #"{"skipped": [1, 2,], "kept": 1}"#,
        #"{"skipped": tru, "kept": 1}"#,
        #"{"skipped": 01, "kept": 1}"#,
    ])
    func skippedMembersMustStillBeJSON(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array(text.utf8), keeping: JSONMemberNames(["kept"])) }
    }

    @Test func aNameWrittenWithEscapesIsNeverKept() throws {
        let value = try JSONValue.parse(Array(#"{"k\u0065pt": 1, "kept": 2}"#.utf8), keeping: JSONMemberNames(["kept"]))
        #expect(value == ["kept": 2])
    }
}
