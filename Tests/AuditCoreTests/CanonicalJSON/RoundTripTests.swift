import AuditCore
import Testing

/// The properties the ledger relies on: canonical bytes parse back to the same value, and
/// canonicalizing canonical bytes changes nothing (so a verifier recomputes the same hash).
@Suite struct RoundTripTests {
    @Test func parseOfCanonicalIsIdentity() throws {
        var random = RandomJSON(seed: 42)
        for _ in 0..<1_000 {
            let value = random.value()
            let canonical = value.canonicalBytes()
            let reparsed = try JSONValue.parse(canonical)
            #expect(reparsed == value)
            #expect(reparsed.canonicalBytes() == canonical)
        }
    }

    @Test func prettyFormParsesBack() throws {
        var random = RandomJSON(seed: 43)
        for _ in 0..<300 {
            let value = random.value()
            let pretty = value.prettyString()
            #expect(try JSONValue.parse(pretty).canonicalBytes() == value.canonicalBytes())
        }
    }

    @Test func canonicalStringMatchesBytes() {
        let value: JSONValue = ["b": [1, 2.5, "x\n"], "a": nil]
        #expect(value.canonicalString() == #"{"a":null,"b":[1,2.5,"x\n"]}"#)
        #expect(Array(value.canonicalString().utf8) == value.canonicalBytes())
    }

    @Test func controlCharactersUseShortEscapesOrLowercaseHex() {
        let all = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) }))
        let expected = #""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f""#
        #expect(JSONValue.string(all).canonicalString() == expected)
        #expect(JSONValue.string("\u{7F}/<>&'\u{2028}").canonicalString() == "\"\u{7F}/<>&'\u{2028}\"")
    }
}
