import AuditCore
import GRDBSQLite

/// Turns `entries` rows straight from SQLite's column bytes into canonical entry JSON, or
/// gives up at the first row that needs `EntryRow.decode`'s judgement.
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
