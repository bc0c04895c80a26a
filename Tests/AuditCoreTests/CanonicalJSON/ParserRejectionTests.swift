import AuditCore
import Testing

/// Every input the strict parser must refuse, with the position and message a user sees.
@Suite struct ParserRejectionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let input: [UInt8]
        let line: Int
        let column: Int
        let message: String
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ line: Int, _ column: Int, _ message: String) {
            self.init(name, Array(text.utf8), line, column, message)
        }

        init(_ name: String, _ bytes: [UInt8], _ line: Int, _ column: Int, _ message: String) {
            self.name = name
            self.input = bytes
            self.line = line
            self.column = column
            self.message = message
        }
    }

    static let cases: [Case] = [
        Case("duplicate key", "{\n  \"kind\": 1,\n  \"kind\": 2\n}", 3, 3, #"duplicate key "kind""#),
        Case("duplicate key nested", "{\"a\": [{\"x\": 1, \"y\": {\"k\": 1, \"k\": 2}}]}", 1, 31, #"duplicate key "k""#),
        Case("duplicate key via escape", #"{"a":1,"\u0061":2}"#, 1, 8, #"duplicate key "a""#),
        Case("lone high surrogate", #"["\ud800"]"#, 1, 3,
             #"lone surrogate \uD800: a high surrogate must be followed by a \u low surrogate"#),
        Case("high surrogate then BMP escape", #"["x\uD83D\u0041"]"#, 1, 4,
             #"lone surrogate \uD83D: followed by \u0041, which is not a low surrogate"#),
        Case("lone low surrogate", #""\udc00""#, 1, 2,
             #"lone surrogate \uDC00: a low surrogate must follow a high surrogate"#),
        Case("reversed surrogate pair", #""\ude00\ud83d""#, 1, 2,
             #"lone surrogate \uDE00: a low surrogate must follow a high surrogate"#),
        Case("truncated UTF-8", [0x22, 0xC3, 0x28, 0x22], 1, 2, "invalid UTF-8: truncated or malformed sequence starting with 0xC3"),
        Case("overlong UTF-8", [0x22, 0xC0, 0xAF, 0x22], 1, 2, "invalid UTF-8: overlong encoding (lead byte 0xC0)"),
        Case("overlong 3-byte UTF-8", [0x22, 0xE0, 0x80, 0xAF, 0x22], 1, 2, "invalid UTF-8: overlong encoding (lead byte 0xE0)"),
        Case("UTF-8 encoded surrogate", [0x22, 0xED, 0xA0, 0x80, 0x22], 1, 2, "invalid UTF-8: encoded surrogate (surrogates are not characters)"),
        Case("stray continuation byte", [0x22, 0x61, 0x80, 0x22], 1, 3, "invalid UTF-8: unexpected continuation byte 0x80"),
        Case("byte 0xFF", [0x22, 0xFF, 0x22], 1, 2, "invalid UTF-8: byte 0xFF never appears in UTF-8"),
        Case("above U+10FFFF", [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1, 2, "invalid UTF-8: code point above U+10FFFF"),
        Case("invalid UTF-8 outside strings", [0x5B, 0xFF, 0x5D], 1, 2, "unexpected byte 0xFF (not UTF-8); expected a value"),
        Case("leading zero", "[01]", 1, 2, "leading zeros are not allowed in numbers"),
        Case("negative leading zero", "{\"n\": -012}", 1, 7, "leading zeros are not allowed in numbers"),
        Case("trailing comma in array", "[1, 2,]", 1, 6, "trailing comma before ']'"),
        Case("trailing comma in object", "{\n  \"a\": 1,\n}", 2, 9, "trailing comma before '}'"),
        Case("line comment", "{\"a\": 1 // note\n}", 1, 9, "comments are not allowed in JSON"),
        Case("block comment", "/* header */ {}", 1, 1, "comments are not allowed in JSON"),
        Case("hash comment", "[1,\n# two\n2]", 2, 1, "comments are not allowed in JSON"),
        Case("NaN", "[NaN]", 1, 2, "NaN is not allowed in JSON"),
        Case("Infinity", "{\"x\": Infinity}", 1, 7, "Infinity is not allowed in JSON"),
        Case("minus Infinity", "[-Infinity]", 1, 2, "-Infinity is not allowed in JSON"),
        Case("trailing garbage", "{} x", 1, 4, "unexpected character 'x' after the JSON value"),
        Case("second value", "1 2", 1, 3, "unexpected character '2' after the JSON value"),
        Case("trailing NUL", [0x31, 0x00], 1, 2, "unexpected control character U+0000 after the JSON value"),
        Case("number overflow", "[1e400]", 1, 2, "number 1e400 is out of range for a 64-bit double"),
        Case("negative overflow", "[0, -1.8e308]", 1, 5, "number -1.8e308 is out of range for a 64-bit double"),
        Case("huge mantissa overflow", "[" + String(repeating: "9", count: 310) + "]", 1, 2,
             "number " + String(repeating: "9", count: 40) + "… is out of range for a 64-bit double"),
        Case("tab in string", "\"a\tb\"", 1, 3, "control character U+0009 must be escaped in a string"),
        Case("newline in string", "[\"line\nbreak\"]", 1, 7, "control character U+000A must be escaped in a string"),
        Case("NUL in string", [0x22, 0x00, 0x22], 1, 2, "control character U+0000 must be escaped in a string"),
        Case("too deep", String(repeating: "[", count: 65) + String(repeating: "]", count: 65), 1, 65,
             "nesting is deeper than 64 levels"),
        Case("byte order mark", [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], 1, 1, "byte order mark is not allowed before JSON text"),
        Case("empty", "", 1, 1, "empty document"),
        Case("whitespace only", " \n ", 2, 2, "document holds only whitespace"),
        Case("unterminated string", "{\"a\": \"open}", 1, 7, "unterminated string: no closing '\"'"),
        Case("unterminated array", "[1, 2", 1, 6, "unexpected end of input; expected ',' or ']' in an array"),
        Case("invalid escape", #"["\x41"]"#, 1, 3, #"invalid escape sequence '\x'"#),
        Case("short unicode escape", #"["\u12G4"]"#, 1, 3, #"invalid \u escape: expected four hex digits"#),
        Case("single quotes", "{'a': 1}", 1, 2, "strings must use double quotes, not single quotes"),
        Case("unquoted key", "{a: 1}", 1, 2, "unexpected character 'a'; expected a string key"),
        Case("missing colon", "{\"a\" 1}", 1, 6, "unexpected character '1'; expected ':' after an object key"),
        Case("missing comma", "[1 2]", 1, 4, "unexpected character '2'; expected ',' or ']' after an array element"),
        Case("plus sign", "[+1]", 1, 2, "numbers must not start with '+'"),
        Case("bare fraction", "[.5]", 1, 2, "numbers need a digit before the decimal point"),
        Case("dot without digits", "[1.]", 1, 4, "expected a digit after the decimal point"),
        Case("exponent without digits", "[1e+]", 1, 5, "expected a digit in the exponent"),
        Case("minus alone", "[-]", 1, 3, "expected a digit after '-'"),
        Case("capitalised literal", "True", 1, 1, "unexpected character 'T'; expected a value"),
        Case("truncated literal", "[nul]", 1, 2, "invalid literal; expected 'null'"),
        Case("smart quotes", "{\u{201C}a\u{201D}: 1}", 1, 2, "typographic quote '\u{201C}' used instead of '\"'"),
        Case("column counts characters", "{\"ä€😀\": [1,, 2]}", 1, 12, "unexpected character ','; expected a value"),
    ]

    @Test(arguments: cases)
    func rejects(_ testCase: Case) throws {
        let error = try #require(throws: JSONParseError.self) {
            try JSONValue.parse(testCase.input, source: "case.json")
        }
        #expect(error.message == testCase.message)
        #expect(error.line == testCase.line, "line")
        #expect(error.column == testCase.column, "column")
        #expect(error.source == "case.json")
        #expect(error.description == "case.json:\(testCase.line):\(testCase.column): \(testCase.message)")
    }

    @Test func offsetIsTheByteOffset() throws {
        let error = try #require(throws: JSONParseError.self) {
            try JSONValue.parse("{\"é\": 1,\n \"é\": 2}", source: "payload.json")
        }
        // Byte 0 '{', 1 '"', 2-3 'é', ... the second key's quote is byte 11 but column 2 of line 2.
        #expect(error.offset == 11)
        #expect((error.line, error.column) == (2, 2))
        #expect(error.description == #"payload.json:2:2: duplicate key "é""#)
    }

    @Test func canonicallyEquivalentKeysAreRefused() throws {
        // Distinct in JSON, but equal as Swift Strings, so a dictionary would silently merge them.
        let error = try #require(throws: JSONParseError.self) {
            try JSONValue.parse(#"{"\u00e9": 1, "e\u0301": 2}"#)
        }
        #expect(error.message.contains("canonically equivalent"))
        #expect((error.line, error.column) == (1, 15))
    }

    @Test func limitsAreConfigurable() throws {
        let tiny = JSONParseLimits(maxDocumentBytes: 10, maxDepth: 2, maxNumberLiteralBytes: 5)
        let size = try #require(throws: JSONParseError.self) { try JSONValue.parse("[1,2,3,4,5]", limits: tiny) }
        #expect(size.message == "document is 11 bytes; the limit is 10 bytes")
        let depth = try #require(throws: JSONParseError.self) { try JSONValue.parse("[[[1]]]", limits: tiny) }
        #expect((depth.column, depth.message) == (3, "nesting is deeper than 2 levels"))
        let number = try #require(throws: JSONParseError.self) { try JSONValue.parse("[123456]", limits: tiny) }
        #expect(number.message == "number literal is 6 bytes long; the limit is 5")
        #expect(try JSONValue.parse("[[12345]]", limits: tiny) == [[12345]])
        // The defaults are the ones in Limits.
        #expect(JSONParseLimits.default.maxDocumentBytes == Limits.maxJSONDocumentBytes)
        #expect(JSONParseLimits.default.maxDepth == Limits.maxJSONDepth)
    }

    @Test func depthLimitIsExactlyTheMaximum() throws {
        let deepest = String(repeating: "[", count: Limits.maxJSONDepth) + String(repeating: "]", count: Limits.maxJSONDepth)
        #expect(throws: Never.self) { try JSONValue.parse(deepest) }
    }
}
