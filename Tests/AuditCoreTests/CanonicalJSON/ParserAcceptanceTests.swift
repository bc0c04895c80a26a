import AuditCore
import Testing

/// What the parser must accept, and the exact values it must produce.
@Suite struct ParserAcceptanceTests {
    @Test func scalarsAndStructure() throws {
        let value = try JSONValue.parse(" {\"a\" : [true, false, null, -1.5e2, \"x\"],\r\n\t\"b\": {}} ")
        #expect(value == ["a": [true, false, nil, -150, "x"], "b": .object([:])])
        #expect(try JSONValue.parse("\"top-level string\"") == "top-level string")
        #expect(try JSONValue.parse("0") == 0)
        #expect(try JSONValue.parse("[]") == [])
    }

    @Test func escapesDecode() throws {
        let value = try JSONValue.parse(#"["\"\\\/\b\f\n\r\t", "\u00e9\u20AC", "\ud83d\ude00", "\u0000", "a\u0301"]"#)
        #expect(value == ["\"\\/\u{08}\u{0C}\n\r\t", "é€", "😀", "\u{0}", "a\u{0301}"])
        // Unnormalized text stays unnormalized: the parser never normalizes.
        #expect(try JSONValue.parse(#""e\u0301""#).stringValue.map { Array($0.unicodeScalars) } == ["e", "\u{0301}"])
    }

    @Test func rawUTF8Passes() throws {
        let text = "[\"grüße 😀 \u{FB33} \u{10FFFF} \u{7F}\"]"
        #expect(try JSONValue.parse(Array(text.utf8)) == ["grüße 😀 \u{FB33} \u{10FFFF} \u{7F}"])
    }

    @Test func numbersAreCorrectlyRounded() throws {
        #expect(try JSONValue.parse("0.1").doubleValue == 0.1)
        #expect(try JSONValue.parse("9007199254740993").doubleValue == 9007199254740992)
        #expect(try JSONValue.parse("1E+2").doubleValue == 100)
        #expect(try JSONValue.parse("1e-400").doubleValue == 0)
        #expect(try JSONValue.parse("2.2250738585072011e-308").doubleValue == Double(bitPattern: 0x000F_FFFF_FFFF_FFFF))
        #expect(try JSONValue.parse("0.000000000000000000000000000000000000000000001").doubleValue == 1e-45)
    }

    /// The exact fast path and the strtod fallback must agree with Swift's own correctly
    /// rounded conversion for every shape of literal.
    @Test func numberParsingMatchesStandardLibrary() throws {
        var generator = SplitMix64(seed: 3)
        for _ in 0..<20_000 {
            var text = Bool.random(using: &generator) ? "-" : ""
            let integerDigits = Int.random(in: 1...20, using: &generator)
            text += String(Int.random(in: 1...9, using: &generator))
            for _ in 1..<integerDigits { text += String(Int.random(in: 0...9, using: &generator)) }
            if Bool.random(using: &generator) {
                text += "."
                for _ in 0..<Int.random(in: 1...20, using: &generator) { text += String(Int.random(in: 0...9, using: &generator)) }
            }
            if Bool.random(using: &generator) {
                text += ["e", "E", "e+", "e-", "E-"].randomElement(using: &generator)!
                text += String(Int.random(in: 0...40, using: &generator))
            }
            let expected = try #require(Double(text))
            #expect(try JSONValue.parse(text).doubleValue == expected, "\(text)")
        }
    }

    @Test func acceptsSliceAndStringInputs() throws {
        let bytes = Array("xx[1]yy".utf8)
        #expect(try JSONValue.parse(bytes[2..<5]) == [1])
        #expect(try JSONValue.parse("[1]") == [1])
    }
}
