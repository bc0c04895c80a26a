import AuditCore
import AuditCrypto
import Foundation
import GRDB
import GRDBSQLite

/// Reads every row of `entries` once, in seq order, inside the caller's read transaction,
/// and re-derives each leaf hash straight from SQLite's column bytes through the same
/// `EntryEncoding` template the writer uses (the payload column holds canonical text).
///
/// It reads *all* rows, not a seq range, so a row no honest writer makes (a negative seq) is
/// seen and named. Each column's storage type is checked before its bytes are read: a kind
/// stored as a BLOB hashes the same as the text but no `kind IN (…)` query ever matches it.
struct EntryScanner {
    struct Result {
        var leaves: [UInt8]          // 32 bytes per seq in 0..<size
        var times: [Int64]           // per seq, ms since the epoch; .min when unknown
        var corrections: [ClockAudit.Correction] = []
        var problems: [LedgerProblem] = []
    }

    static let maxProblems = 50
    private static let clockCorrected = Array(EntryKind.clockCorrected.utf8)

    static func scan(_ db: Database, size: Int, visitor: LedgerEntryVisitor?) throws -> Result {
        var result = Result(leaves: [UInt8](repeating: 0, count: size * 32), times: [Int64](repeating: .min, count: size))
        let stmt = try db.makeStatement(sql: "SELECT \(EntryRow.columns) FROM entries ORDER BY seq")
        let s = stmt.sqliteStatement
        var scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 8192)
        defer { scratch.deallocate() }
        var expected = 0
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
            guard sqlite3_column_type(s, 0) == SQLITE_INTEGER, seq >= 0, seq < size else {
                problem(LedgerProblem(.malformedEntry, seq: seq,
                                      "a row with seq \(seq) is outside the log (seq 0..\(size - 1)): no writer makes it, yet filtered readers would see it"))
                continue
            }
            if seq != expected {
                problem(LedgerProblem(.missingEntries, seq: expected,
                                      seq == expected + 1 ? "entry is missing (deleted?)" : "entries \(expected)..\(seq - 1) are missing (deleted?)"))
                havePrevLeaf = false
                expected = seq
            }
            // Storage types first: reading a column's bytes may convert it.
            var typed = true
            for (i, column) in EntryRow.expectedTypes.enumerated().dropFirst() {
                let actual = sqlite3_column_type(s, Int32(i))
                if actual != column.type {
                    typed = false
                    problem(LedgerProblem(.malformedEntry, seq: seq,
                                          "column \(column.name) holds \(SQLiteType.name(actual)), not \(SQLiteType.name(column.type)): same bytes and hash, but queries on it do not match, so readers would not see this entry"))
                    break
                }
            }
            guard sqlite3_column_bytes(s, 6) == 32, sqlite3_column_bytes(s, 7) == 32,
                  let prevPtr = sqlite3_column_blob(s, 6), let hashPtr = sqlite3_column_blob(s, 7) else {
                problem(LedgerProblem(.malformedEntry, seq: seq, "prev or hash column is not 32 bytes"))
                expected = seq + 1
                havePrevLeaf = false
                continue
            }
            let (time, kind, actor, subject, payload) = (text(s, 1), text(s, 2), text(s, 3), text(s, 4), text(s, 5))
            if let millis = EntryTime.millis(time) {
                result.times[seq] = millis
            } else {
                typed = false
                problem(LedgerProblem(.malformedEntry, seq: seq, "time '\(String(decoding: time, as: UTF8.self))' is not in the form YYYY-MM-DDTHH:MM:SS.mmmZ"))
            }
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
            if seq == 0 {
                if !storedPrev.allSatisfy({ $0 == 0 }) {
                    problem(LedgerProblem(.chainBroken, seq: 0, "the genesis entry's prev is not 32 zero bytes"))
                }
            } else if havePrevLeaf, !Self.equal32(prevLeaf, storedPrev) {
                // If this entry's own content is intact, the previous one was rewritten
                // together with its stored hash; otherwise this entry is the culprit.
                problem(contentAltered
                    ? LedgerProblem(.chainBroken, seq: seq, "prev does not link to entry \(seq - 1): the entry was moved or replaced")
                    : LedgerProblem(.chainBroken, seq: seq - 1,
                                    "entry \(seq)'s prev does not equal this entry's hash: the entry was altered or replaced"))
            }
            let offset = seq * 32
            result.leaves.withUnsafeMutableBytes { dst in
                leaf.withUnsafeBytes { dst.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            }
            if typed, !contentAltered {
                if kind.count == clockCorrected.count, clockCorrected.withUnsafeBufferPointer({ memcmp($0.baseAddress!, kind.baseAddress!, kind.count) == 0 }) {
                    if let c = correction(seq: seq, payload: payload) { result.corrections.append(c) } else {
                        problem(LedgerProblem(.clockCorrectionInvalid, seq: seq, "a clock correction must name an earlier entry in payload.seq"))
                    }
                }
                if let visitor, visitor.wants(kind) {
                    try visitor.visit(try entry(seq: seq, time: time, kind: kind, actor: actor, subject: subject,
                                                payload: payload, prev: storedPrev))
                }
            }
            swap(&prevLeaf, &leaf)
            havePrevLeaf = true
            expected = seq + 1
        }
        if expected < size {
            problem(LedgerProblem(.missingEntries, seq: expected, "entries \(expected)..\(size - 1) are missing (deleted?)"))
        }
        return result
    }

    private static func correction(seq: Int, payload: UnsafeBufferPointer<UInt8>) -> ClockAudit.Correction? {
        guard let value = try? JSONValue.parse(Array(payload), source: "entry \(seq) payload"),
              let from = value["seq"]?.int64Value, from >= 0, from < seq else { return nil }
        return ClockAudit.Correction(at: seq, from: Int(from))
    }

    private static func entry(seq: Int, time: UnsafeBufferPointer<UInt8>, kind: UnsafeBufferPointer<UInt8>,
                              actor: UnsafeBufferPointer<UInt8>, subject: UnsafeBufferPointer<UInt8>,
                              payload: UnsafeBufferPointer<UInt8>, prev: UnsafeRawBufferPointer) throws -> Entry {
        let value: JSONValue
        do {
            value = try JSONValue.parse(Array(payload), source: "entry \(seq) payload")
        } catch {
            throw LedgerError.corrupted(seq: seq, reason: "stored payload is not valid JSON: \(error)")
        }
        return Entry(seq: seq, time: String(decoding: time, as: UTF8.self), kind: String(decoding: kind, as: UTF8.self),
                     actor: String(decoding: actor, as: UTF8.self), subject: String(decoding: subject, as: UTF8.self),
                     payload: value, prev: Digest(uncheckedBytes: Array(prev)))
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
