import AuditCore
import AuditCrypto
import Foundation
import GRDB
import GRDBSQLite

/// Re-derives leaf hashes for a seq range straight from SQLite's column bytes, through the
/// same `EntryEncoding` template the writer uses (the payload column holds canonical text).
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
        var scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 8192)
        defer { scratch.deallocate() }
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
            let (time, kind, actor, subject, payload) = (text(s, 1), text(s, 2), text(s, 3), text(s, 4), text(s, 5))
            let needed = EntryEncoding.maxLeafInputSize(timeBytes: time.count, kindBytes: kind.count, actorBytes: actor.count,
                                                        subjectBytes: subject.count, payloadBytes: payload.count)
            if needed > scratch.count {
                scratch.deallocate()
                scratch = .allocate(capacity: needed * 2)
            }
            let written = EntryEncoding.writeLeafInput(
                seq: seq, time: time, kind: kind, actor: actor, subject: subject, canonicalPayload: payload,
                prev: UnsafeRawBufferPointer(start: prevPtr, count: 32), into: scratch.baseAddress!)
            leaf.withUnsafeMutableBytes { SHA256.hash(UnsafeRawBufferPointer(start: scratch.baseAddress!, count: written), into: $0) }
            let storedHash = UnsafeRawBufferPointer(start: hashPtr, count: 32)
            let storedPrev = UnsafeRawBufferPointer(start: prevPtr, count: 32)
            let contentAltered = !Self.equal32(leaf, storedHash)
            if contentAltered {
                problem(LedgerProblem(.entryHashMismatch, seq: seq,
                                      "entry content does not match its recorded hash (edited after it was written)"))
            }
            if seq == lo {
                result.firstPrev = Array(storedPrev)
            } else if havePrevLeaf, !Self.equal32(prevLeaf, storedPrev) {
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

    /// memcmp of two 32-byte hashes; the generic `elementsEqual` was a visible cost per row.
    @inline(__always)
    static func equal32(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Bool {
        a.withUnsafeBytes { memcmp($0.baseAddress!, b.baseAddress!, 32) == 0 }
    }

    /// A TEXT column's UTF-8 bytes, valid until the next step.
    @inline(__always)
    private static func text(_ s: OpaquePointer, _ column: Int32) -> UnsafeBufferPointer<UInt8> {
        let n = Int(sqlite3_column_bytes(s, column))
        guard n > 0, let p = sqlite3_column_text(s, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p, count: n)
    }
}
