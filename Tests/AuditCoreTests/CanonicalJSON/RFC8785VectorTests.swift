import AuditCore
import Foundation
import Testing

/// The vectors published with RFC 8785: Appendix B numbers, the §3.2.2 sample, the §3.2.3
/// sorting example, and the reference implementation's input/output pairs.
@Suite struct RFC8785VectorTests {
    @Test func canonicalizationPairs() throws {
        let pairs = try VectorFiles.canonicalizationPairs(in: "rfc8785")
        #expect(pairs.count >= 9, "vector pairs missing from the bundle")
        for pair in pairs {
            let value = try JSONValue.parse(pair.input, source: pair.name + ".in.json")
            let canonical = value.canonicalBytes()
            #expect(canonical == pair.expected,
                    "\(pair.name): got \(String(decoding: canonical, as: UTF8.self))")
            // The expected output is itself canonical: canonicalizing it changes nothing.
            #expect(try JSONValue.parse(pair.expected).canonicalBytes() == pair.expected, "\(pair.name)")
        }
    }

    /// RFC 8785 §3.2.4 gives the UTF-8 bytes of the §3.2.2 sample in hex.
    @Test func section324Bytes() throws {
        let pair = try #require(try VectorFiles.canonicalizationPairs(in: "rfc8785").first { $0.name == "rfc8785-3.2.2-sample" })
        let hex = """
            7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
            75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
            5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
            65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
            5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
            30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d
            """
        let expected = try #require(Hex.decode(hex.split(whereSeparator: \.isWhitespace).joined()))
        #expect(try JSONValue.parse(pair.input).canonicalBytes() == expected)
    }

    @Test func appendixBNumbers() throws {
        let rows = try VectorFiles.lines("rfc8785", "numbers.txt")
        #expect(rows.count >= 26)
        var checked = 0
        for row in rows {
            let fields = row.split(separator: ",").map(String.init)
            try #require(fields.count == 2, "bad vector line \(row)")
            let bits = try #require(UInt64(fields[0], radix: 16))
            let value = Double(bitPattern: bits)
            if fields[1] == "error" {
                #expect(!value.isFinite, "\(row) is marked error but is finite")
                continue
            }
            #expect(JSONValue.number(value).canonicalString() == fields[1], "\(fields[0])")
            // Parsing the expected text gives back the same double (ECMAScript text round-trips).
            let reparsed = try JSONValue.parse(fields[1]).doubleValue
            #expect(reparsed == value || (value == 0 && reparsed == 0), "\(fields[0])")
            checked += 1
        }
        #expect(checked >= 24)
    }
}
