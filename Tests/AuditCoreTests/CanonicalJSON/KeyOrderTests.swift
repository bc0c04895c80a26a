import AuditCore
import Testing

/// RFC 8785 §3.2.3: members sorted by the UTF-16 code units of their names, which differs
/// from code point order (and from Swift's String ordering) for non-BMP characters.
@Suite struct KeyOrderTests {
    /// Member names in the order the canonical bytes list them. Only for objects whose keys
    /// contain no ',' or ':' and whose values are numbers, so splitting the bytes is exact.
    private func keyOrder(_ value: JSONValue) throws -> [String] {
        let bytes = value.canonicalBytes()
        try #require(bytes.first == UInt8(ascii: "{") && bytes.last == UInt8(ascii: "}"))
        return try bytes.dropFirst().dropLast().split(separator: UInt8(ascii: ",")).map { member in
            let colon = try #require(member.lastIndex(of: UInt8(ascii: ":")))
            return try #require(try JSONValue.parse(member[member.startIndex..<colon]).stringValue)
        }
    }

    @Test func supplementaryCharactersSortBeforeHighBMP() throws {
        // U+1F600 is D83D DE00 in UTF-16: it sorts before U+FB33 and U+E000, although its
        // code point is larger. U+20AC stays before the surrogates.
        let value: JSONValue = ["\u{FB33}": 1, "\u{1F600}": 2, "\u{E000}": 3, "\u{20AC}": 4, "\u{FFFF}": 5]
        #expect(try keyOrder(value) == ["\u{20AC}", "\u{1F600}", "\u{E000}", "\u{FB33}", "\u{FFFF}"])
        #expect(value.canonicalString() == "{\"\u{20AC}\":4,\"\u{1F600}\":2,\"\u{E000}\":3,\"\u{FB33}\":1,\"\u{FFFF}\":5}")
    }

    @Test func orderMatchesUTF16CodeUnitsForManyKeys() throws {
        var generator = SplitMix64(seed: 11)
        let pool: [Unicode.Scalar] = ["a", "B", "\u{7F}", "\u{80}", "\u{D7FF}", "\u{E000}", "\u{FB33}", "\u{FFFD}",
                                      "\u{10000}", "\u{1F600}", "\u{10FFFF}", "\u{0301}", "\r"]
        var members: [String: JSONValue] = [:]
        for index in 0..<60 {
            var key = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 1...4, using: &generator) { key.append(pool.randomElement(using: &generator)!) }
            members[String(key)] = .number(Double(index))
        }
        let expected = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
        #expect(try keyOrder(.object(members)) == expected)
    }

    @Test func prefixSortsFirstAndCaseMatters() throws {
        let value: JSONValue = ["ab": 1, "a": 2, "B": 3, "": 4]
        #expect(value.canonicalString() == #"{"":4,"B":3,"a":2,"ab":1}"#)
    }
}
