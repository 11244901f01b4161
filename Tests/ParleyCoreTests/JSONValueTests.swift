import ParleyCore
import Testing

@Suite struct JSONValueTests {
    @Test func parsesEveryKindOfValueAndKeepsStringsThatLookLikeOtherKinds() throws {
        let text = #"{"s": "1", "t": "true", "n": 1.5, "i": 42, "b": false, "z": null, "a": [1, "x", [true], {}], "o": {"k": -0.25e2}}"#
        let value = try JSONValue.parse(Array(text.utf8))
        #expect(value["s"] == .string("1"))
        #expect(value["t"] == .string("true"))
        #expect(value["n"] == .number(1.5))
        #expect(value["i"] == .number(42))
        #expect(value["b"] == .bool(false))
        #expect(value["z"] == .null)
        #expect(value["a"] == .array([.number(1), .string("x"), .array([.bool(true)]), .object([:])]))
        #expect(value["o"]?["k"] == .number(-25))
        #expect(try JSONValue.parse(Array(value.jsonString().utf8)) == value)
    }

    @Test func writesWholeNumbersWithoutAFraction() {
        #expect(JSONValue.object(["seed": 42]).jsonString() == #"{"seed":42}"#)
        #expect(JSONValue.array([.number(.infinity)]).jsonString() == "[null]")
    }

    @Test func refusesMalformedText() {
        #expect(throws: (any Error).self) { try JSONValue.parse(Array(#"{"a": }"#.utf8)) }
    }
}
