import AuditCore
import AuditCrypto
import GRDB
import GRDBSQLite

/// Re-derives leaf hashes for a seq range straight from SQLite's column bytes. The payload
/// column holds the canonical JSON that was hashed, so the entry's canonical form is
/// rebuilt by a fixed template (keys in RFC 8785 order) rather than re-parsed: this is
/// what keeps `verify` of a million entries near the cost of a raw scan plus SHA-256.
struct EntryScanner {
    struct Result {
        var leaves: [UInt8]          // 32 bytes per seq in [lo, hi)
        var firstPrev: [UInt8]?      // stored prev of entry `lo`, checked against lo-1 by the caller
        var problems: [LedgerProblem] = []
        var highestSeqSeen = -1
    }

    static let maxProblems = 50

    static func scan(_ db: Database, lo: Int, hi: Int) throws -> Result {
        var result = Result(leaves: [UInt8](repeating: 0, count: (hi - lo) * 32), firstPrev: nil)
        let stmt = try db.makeStatement(sql: """
            SELECT seq, time, kind, actor, subject, payload, prev, hash FROM entries
            WHERE seq >= ? AND seq < ? ORDER BY seq
            """)
        try stmt.setArguments([lo, hi])
        let s = stmt.sqliteStatement
        var buffer = [UInt8]()
        buffer.reserveCapacity(4096)
        var expected = lo
        var prevLeaf = [UInt8](repeating: 0, count: 32)
        var havePrevLeaf = false
        var leaf = [UInt8](repeating: 0, count: 32)

        func problem(_ p: LedgerProblem) {
            if result.problems.count < maxProblems { result.problems.append(p) }
        }

        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw LedgerError.storage(path: "", message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            let seq = Int(sqlite3_column_int64(s, 0))
            result.highestSeqSeen = seq
            if seq != expected {
                problem(LedgerProblem(.missingEntries, seq: expected,
                                      seq == expected + 1 ? "entry is missing (deleted?)" : "entries \(expected)..\(seq - 1) are missing (deleted?)"))
                havePrevLeaf = false
                expected = seq
            }
            guard sqlite3_column_bytes(s, 6) == 32, sqlite3_column_bytes(s, 7) == 32,
                  let prevPtr = sqlite3_column_blob(s, 6), let hashPtr = sqlite3_column_blob(s, 7) else {
                problem(LedgerProblem(.malformedEntry, seq: seq, "prev or hash column is not 32 bytes"))
                expected = seq + 1
                havePrevLeaf = false
                continue
            }
            buffer.removeAll(keepingCapacity: true)
            buffer.append(0x00)
            append(#"{"actor":"#, &buffer)
            appendString(s, column: 3, &buffer)
            append(#","kind":"#, &buffer)
            appendString(s, column: 2, &buffer)
            append(#","payload":"#, &buffer)
            appendRaw(s, column: 5, &buffer)
            append(#","prev":"sha256:"#, &buffer)
            appendHex(prevPtr, &buffer)
            append(#"","seq":"#, &buffer)
            append(String(seq), &buffer)
            append(#","subject":"#, &buffer)
            appendString(s, column: 4, &buffer)
            append(#","time":"#, &buffer)
            appendString(s, column: 1, &buffer)
            buffer.append(UInt8(ascii: "}"))
            buffer.withUnsafeBytes { input in leaf.withUnsafeMutableBytes { SHA256.hash(input, into: $0) } }

            let storedHash = UnsafeRawBufferPointer(start: hashPtr, count: 32)
            let storedPrev = UnsafeRawBufferPointer(start: prevPtr, count: 32)
            let contentAltered = !leaf.elementsEqual(storedHash)
            if contentAltered {
                problem(LedgerProblem(.entryHashMismatch, seq: seq,
                                      "entry content does not match its recorded hash (edited after it was written)"))
            }
            if seq == lo {
                result.firstPrev = Array(storedPrev)
            } else if havePrevLeaf, !prevLeaf.elementsEqual(storedPrev) {
                // If this entry's own content is intact, the previous one was rewritten
                // together with its stored hash; otherwise this entry is the culprit.
                problem(contentAltered
                    ? LedgerProblem(.chainBroken, seq: seq, "prev does not link to entry \(seq - 1): the entry was moved or replaced")
                    : LedgerProblem(.chainBroken, seq: seq - 1,
                                    "entry \(seq)'s prev does not equal this entry's hash: the entry was altered or replaced"))
            }
            let offset = (seq - lo) * 32
            result.leaves.withUnsafeMutableBytes { dst in
                leaf.withUnsafeBytes { dst.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            }
            swap(&prevLeaf, &leaf)
            havePrevLeaf = true
            expected = seq + 1
        }
        if expected < hi {
            problem(LedgerProblem(.missingEntries, seq: expected,
                                  "entries \(expected)..\(hi - 1) are missing (deleted?)"))
        }
        return result
    }

    @inline(__always)
    private static func append(_ s: String, _ buffer: inout [UInt8]) {
        buffer.append(contentsOf: s.utf8)
    }

    private static func appendRaw(_ s: OpaquePointer, column: Int32, _ buffer: inout [UInt8]) {
        let n = Int(sqlite3_column_bytes(s, column))
        guard n > 0, let p = sqlite3_column_text(s, column) else { return }
        buffer.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendHex(_ p: UnsafeRawPointer, _ buffer: inout [UInt8]) {
        let bytes = p.assumingMemoryBound(to: UInt8.self)
        for i in 0..<32 {
            buffer.append(hexDigits[Int(bytes[i] >> 4)])
            buffer.append(hexDigits[Int(bytes[i] & 0x0f)])
        }
    }

    /// RFC 8785 string serialization of a TEXT column.
    private static func appendString(_ s: OpaquePointer, column: Int32, _ buffer: inout [UInt8]) {
        let n = Int(sqlite3_column_bytes(s, column))
        buffer.append(UInt8(ascii: "\""))
        if n > 0, let p = sqlite3_column_text(s, column) {
            CanonicalJSONString.appendEscaped(UnsafeBufferPointer(start: p, count: n), to: &buffer)
        }
        buffer.append(UInt8(ascii: "\""))
    }
}
