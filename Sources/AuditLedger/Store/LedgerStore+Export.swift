import AuditCore
import Foundation
import GRDB

/// One stored entry as the export reads it: the columns exactly as hashed (the payload is
/// canonical text), plus the stored leaf hash. Exports stream millions of these, so the
/// payload is parsed only when a caller needs a field of it (`entry()`).
public struct StoredEntryRow: Sendable {
    public let seq: Int
    public let time: String
    public let kind: String
    public let actor: String
    public let subject: String
    /// RFC 8785 text of the payload, exactly as stored and hashed.
    public let canonicalPayload: String
    public let prev: Digest
    /// The stored RFC 9162 leaf hash.
    public let hash: Digest

    /// `0x00 ‖ JCS(entry)`: the leaf hash input. Drop the first byte for the canonical entry.
    public func leafInput() -> [UInt8] {
        EntryEncoding.leafInput(seq: seq, time: time, kind: kind, actor: actor, subject: subject,
                                canonicalPayload: canonicalPayload, prev: prev)
    }

    /// The entry with its payload parsed.
    public func entry() throws(LedgerError) -> Entry {
        do {
            let payload = try JSONValue.parse(Array(canonicalPayload.utf8), source: "entry \(seq) payload")
            return Entry(seq: seq, time: time, kind: kind, actor: actor, subject: subject, payload: payload, prev: prev)
        } catch {
            throw .corrupted(seq: seq, reason: "stored payload is not valid JSON: \(error)")
        }
    }
}

extension LedgerStore {
    /// Calls `body` for every entry with `fromSeq <= seq <= toSeq` (optionally only `kinds`),
    /// in seq order, from one read snapshot and a database cursor: memory stays bounded
    /// whatever the range, which is what lets an export of millions of entries stream.
    public func forEachRow(fromSeq: Int, toSeq: Int, kinds: [String]? = nil,
                           _ body: (StoredEntryRow) throws -> Void) throws {
        var sql = "SELECT seq, time, kind, actor, subject, payload, prev, hash FROM entries WHERE seq >= ? AND seq <= ?"
        var arguments: [any DatabaseValueConvertible] = [fromSeq, toSeq]
        if let kinds {
            guard !kinds.isEmpty else { return }
            sql += " AND kind IN (" + kinds.map { _ in "?" }.joined(separator: ",") + ")"
            arguments += kinds.map { $0 as any DatabaseValueConvertible }
        }
        sql += " ORDER BY seq"
        try reader.read { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
            while let row = try rows.next() {
                let seq: Int = row[0]
                guard let prev = Digest(bytes: [UInt8](row[6] as Data)), let hash = Digest(bytes: [UInt8](row[7] as Data)) else {
                    throw LedgerError.corrupted(seq: seq, reason: "prev or hash is not 32 bytes")
                }
                try body(StoredEntryRow(seq: seq, time: row[1], kind: row[2], actor: row[3], subject: row[4],
                                        canonicalPayload: row[5], prev: prev, hash: hash))
            }
        }
    }

    /// The perfect subtree hashes that make up the first `size` leaves, largest (leftmost)
    /// first: one per set bit of `size` (a "compact range" of [0, size)). Folding them from
    /// the right gives the RFC 9162 root of that prefix; appending leaves to them gives the
    /// root of any larger prefix, which is how an export proves its entries without
    /// shipping the entries before them.
    public func frontier(size: Int) throws(LedgerError) -> [Digest] {
        try read { db in
            let n = try Self.size(db)
            guard size >= 0, size <= n else { throw LedgerError.invalidRange("size \(size) is beyond the ledger's \(n) entries") }
            let source = DatabaseNodeSource(db: db)
            var nodes: [Digest] = []
            var start = 0
            for level in stride(from: Int.bitWidth - 2, through: 0, by: -1) where (size >> level) & 1 == 1 {
                nodes.append(try source.node(level: level, index: start >> level))
                start += 1 << level
            }
            return nodes
        }
    }

    /// The oldest stored checkpoint whose tree includes entry `seq` (size > seq), if any.
    public func firstCheckpoint(covering seq: Int) throws(LedgerError) -> StoredCheckpoint? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM checkpoints WHERE size > ? ORDER BY size LIMIT 1", arguments: [seq])
                .map(CheckpointWriter.decode)
        }
    }

    /// The stored checkpoint of exactly `size` entries, if any.
    public func checkpoint(size: Int) throws(LedgerError) -> StoredCheckpoint? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM checkpoints WHERE size = ?", arguments: [size]).map(CheckpointWriter.decode)
        }
    }

    /// The seqs of the first entry at or after `since` and the last at or before `until`
    /// (RFC 3339 UTC strings; entry times never decrease), limited to `seq < size`.
    /// Nil when no entry falls in the window.
    public func seqRange(since: String?, until: String?, size: Int) throws(LedgerError) -> ClosedRange<Int>? {
        try read { db in
            let first = try since.map { s in
                try Int.fetchOne(db, sql: "SELECT MIN(seq) FROM entries WHERE time >= ? AND seq < ?", arguments: [s, size])
            } ?? (size > 0 ? 0 : nil)
            let last = try until.map { u in
                try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM entries WHERE time <= ? AND seq < ?", arguments: [u, size])
            } ?? (size > 0 ? size - 1 : nil)
            guard let first, let last, first <= last else { return nil }
            return first...last
        }
    }
}
