import AuditCore
import Foundation
import Testing

/// Issue 9 reports one nil-unwrap crash in the parser's string path while replaying entries;
/// 10^6 fuzz executions did not reproduce it. The shapes a replay can hand the parser that a
/// fuzzer never produces are empty and pointer-less buffers (SQLite returns a NULL pointer
/// for an empty column), and strings cut at every byte: each entry point must refuse those
/// with an error, never trap.
@Suite struct EmptyBufferTests {
    @Test func emptyInputThroughEveryEntryPointIsAnErrorNotACrash() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse([UInt8]()) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse([UInt8]()[...]) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Data()) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(UnsafeBufferPointer<UInt8>(start: nil, count: 0)) }
    }

    /// Every prefix of a document with escapes and multi-byte UTF-8 in strings: truncated
    /// strings, escapes and sequences all end in a parse error.
    @Test func everyTruncationOfAStringHeavyDocumentIsRefusedCleanly() throws {
        let doc = Array(#"{"a\"b":"\u00e9\ud83d\ude00 é😀\n","k":["x\\","\/"]}"#.utf8)
        _ = try JSONValue.parse(doc)
        for cut in 0..<doc.count {
            #expect(throws: JSONParseError.self, "prefix of \(cut) bytes") { try JSONValue.parse(Array(doc[..<cut])) }
            #expect(throws: JSONParseError.self, "slice prefix of \(cut) bytes") { try JSONValue.parse(doc[..<cut]) }
        }
    }
}
