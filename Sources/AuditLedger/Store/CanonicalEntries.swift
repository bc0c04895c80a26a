import AuditCore
import Foundation
import GRDB
import GRDBSQLite

/// One entry as the RFC 8785 text of `Entry.jsonValue`.
public struct CanonicalEntry: Sendable, Equatable {
    public let seq: Int
    public let json: [UInt8]
}

/// Entries as canonical JSON, and the ledger's size in the same read transaction. The
/// texts are kept back to back in one buffer: a page is read to be sent as one body, and
/// one buffer saves an allocation and a copy per entry.
public struct CanonicalEntryPage: Sendable {
    public let size: Int
    public private(set) var seqs: [Int] = []
    private var text: [UInt8] = []
    /// Where each entry's text ends in `text`.
    private var ends: [Int] = []

    init(size: Int, expectedCount: Int) {
        self.size = size
        seqs.reserveCapacity(expectedCount)
        ends.reserveCapacity(expectedCount)
        text.reserveCapacity(expectedCount * 256)
    }

    mutating func append(seq: Int, json: UnsafeBufferPointer<UInt8>) {
        seqs.append(seq)
        text.append(contentsOf: json)
        ends.append(text.count)
    }

    public var count: Int { seqs.count }

    /// Entry `i`'s canonical JSON.
    public func json(_ i: Int) -> ArraySlice<UInt8> {
        text[(i == 0 ? 0 : ends[i - 1])..<ends[i]]
    }

    /// The first `n` entries as the elements of a JSON array (comma-separated), appended to `out`.
    public func appendElements(first n: Int, to out: inout [UInt8]) {
        for i in 0..<min(n, count) {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: json(i))
        }
    }

    public var entries: [CanonicalEntry] {
        (0..<count).map { CanonicalEntry(seq: seqs[$0], json: Array(json($0))) }
    }
}

extension LedgerStore {
    /// `entries(filter)` as canonical JSON text, with the ledger's size, in one read
    /// transaction (on a raw reader connection, `RawReadPool`). Every row gets the checks `entries` makes (`RowGuard`, column storage
    /// types, time form, hash lengths, a payload that parses as JSON); its text is then built
    /// by the writer's template (`EntryEncoding`) from the stored columns and the payload's
    /// canonical form, instead of through a `JSONValue` of the whole entry. A row found well
    /// formed is remembered (`ReaderMemo`), so while the file is unchanged its next read is
    /// the template alone. If any row is unusual (text that is not plain UTF-8, or anything
    /// those checks refuse), the page is read again the way `entries` reads it, so the
    /// result and the errors are always exactly `entries(filter).map { $0.canonicalBytes }`.
    public func canonicalEntries(_ filter: EntryFilter) throws(LedgerError) -> CanonicalEntryPage {
        if let page = try rawReads.read({ c in try Self.wellFormedPage(filter, c) }) { return page }
        return try read { db in
            let size = try Self.size(db)
            try RowGuard.check(db)
            let (sql, arguments) = filter.sql()
            let entries = try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(EntryRow.decode)
            var page = CanonicalEntryPage(size: size, expectedCount: entries.count)
            for entry in entries {
                entry.canonicalBytes.withUnsafeBufferPointer { page.append(seq: entry.seq, json: $0) }
            }
            return page
        }
    }

    /// The page on a raw reader connection, or nil when the guard or a row needs the decoder.
    private static func wellFormedPage(_ filter: EntryFilter, _ c: RawReadConnection) throws(LedgerError) -> CanonicalEntryPage? {
        guard let dataVersion = try c.int("PRAGMA data_version") else { throw c.failure("PRAGMA data_version") }
        if !ReaderMemo.shared.rowGuardPassed(c, at: dataVersion) {
            guard try RowGuard.holds(c) else { return nil }
            ReaderMemo.shared.noteRowGuardPassed(c, at: dataVersion)
        }
        let size = try size(c)
        let (sql, values) = filter.query()
        let statement = try c.statement(sql)
        c.bind(values, to: statement)
        var reader = CanonicalRowReader(known: ReaderMemo.shared.wellFormedRows(c, at: dataVersion))
        var page = CanonicalEntryPage(size: size, expectedCount: filter.limit ?? 64)
        guard try reader.readAll(statement, on: c, into: &page) else { return nil }
        ReaderMemo.shared.noteWellFormed(reader.newlyWellFormed, c, at: dataVersion)
        return page
    }
}

/// Turns `entries` rows straight from SQLite's column bytes into canonical entry JSON, or
/// gives up (nil) at the first row that needs `EntryRow.decode`'s judgement.
///
/// A row is *well formed* when it holds what the writer writes: the declared storage types,
/// 32-byte hashes, a time in the writer's form, text that is plain UTF-8, and a payload
/// whose stored text is its own canonical JSON. Rows this connection found well formed
/// on the unchanged file (`known`) go straight to the template.
struct CanonicalRowReader {
    let known: SeqRanges
    /// Rows checked in full by this read and found well formed.
    private(set) var newlyWellFormed: [Int] = []

    init(known: SeqRanges) {
        self.known = known
    }

    /// Appends every row of `s` to `page`; false (page unusable) at the first row that
    /// needs the decoder.
    mutating func readAll(_ s: OpaquePointer, on c: RawReadConnection, into page: inout CanonicalEntryPage) throws(LedgerError) -> Bool {
        defer { sqlite3_reset(s) }
        var scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4096)
        defer { scratch.deallocate() }
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { return true }
            guard rc == SQLITE_ROW else { throw c.failure("reading entries") }
            guard row(s, scratch: &scratch, into: &page) else { return false }
        }
    }

    /// Appends the row at the cursor; false when it is anything but an ordinary well-formed entry.
    private mutating func row(_ s: OpaquePointer, scratch: inout UnsafeMutableBufferPointer<UInt8>,
                              into page: inout CanonicalEntryPage) -> Bool {
        for (i, column) in EntryRow.expectedTypes.enumerated() where sqlite3_column_type(s, Int32(i)) != column.type {
            return false
        }
        let seq = Int(sqlite3_column_int64(s, 0))
        guard seq >= 0, sqlite3_column_bytes(s, 6) == 32, sqlite3_column_bytes(s, 7) == 32,
              let prev = sqlite3_column_blob(s, 6) else { return false }
        let (time, kind, actor, subject, stored) = (Self.text(s, 1), Self.text(s, 2), Self.text(s, 3), Self.text(s, 4), Self.text(s, 5))
        if known.contains(seq) {
            Self.append(seq: seq, time: time, kind: kind, actor: actor, subject: subject, payload: stored, prev: prev,
                        scratch: &scratch, to: &page)
            return true
        }
        guard EntryTime.millis(time) != nil, Self.isPlainUTF8(kind), Self.isPlainUTF8(actor), Self.isPlainUTF8(subject),
              let payload = try? JSONValue.parse(stored, source: "entry \(seq) payload") else { return false }
        // An honest writer stores the canonical text; re-encoding the parsed value makes
        // that a certainty (and gives the canonical text when a forged row holds other text).
        let canonical = payload.canonicalBytes()
        if canonical.elementsEqual(stored) { newlyWellFormed.append(seq) }
        canonical.withUnsafeBufferPointer { payload in
            Self.append(seq: seq, time: time, kind: kind, actor: actor, subject: subject, payload: payload, prev: prev,
                        scratch: &scratch, to: &page)
        }
        return true
    }

    /// The writer's template, without the leaf input's 0x00 prefix: the entry's canonical JSON.
    private static func append(seq: Int, time: UnsafeBufferPointer<UInt8>, kind: UnsafeBufferPointer<UInt8>,
                               actor: UnsafeBufferPointer<UInt8>, subject: UnsafeBufferPointer<UInt8>,
                               payload: UnsafeBufferPointer<UInt8>, prev: UnsafeRawPointer,
                               scratch: inout UnsafeMutableBufferPointer<UInt8>, to page: inout CanonicalEntryPage) {
        let needed = EntryEncoding.maxLeafInputSize(timeBytes: time.count, kindBytes: kind.count, actorBytes: actor.count,
                                                    subjectBytes: subject.count, payloadBytes: payload.count)
        if needed > scratch.count {
            scratch.deallocate()
            scratch = .allocate(capacity: needed * 2)
        }
        let written = EntryEncoding.writeLeafInput(seq: seq, time: time, kind: kind, actor: actor, subject: subject, canonicalPayload: payload,
                                                   prev: UnsafeRawBufferPointer(start: prev, count: 32), into: scratch.baseAddress!)
        page.append(seq: seq, json: UnsafeBufferPointer(rebasing: scratch[1..<written]))
    }

    /// Valid UTF-8 without NUL: text a Swift `String` read through GRDB holds byte for byte
    /// (GRDB reads text up to the first NUL; invalid bytes would be replaced). ASCII, the
    /// usual case, is checked without building a string.
    static func isPlainUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var ascii = true
        for b in bytes {
            if b == 0 { return false }
            if b >= 0x80 { ascii = false }
        }
        return ascii || String(validating: bytes, as: UTF8.self) != nil
    }

    /// A TEXT column's bytes, valid until the next step.
    @inline(__always)
    static func text(_ s: OpaquePointer, _ column: Int32) -> UnsafeBufferPointer<UInt8> {
        let n = Int(sqlite3_column_bytes(s, column))
        guard n > 0, let p = sqlite3_column_text(s, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p, count: n)
    }
}
