import AuditCore
import Foundation
import GRDB
import GRDBSQLite

extension LedgerStore {
    /// `entries(filter)` as canonical JSON text, with the ledger's size, in one read
    /// transaction on a raw reader connection (`RawReadPool`). Every row gets the checks
    /// `entries` makes (`RowGuard`, column storage types, time form, hash lengths, a payload
    /// that parses as JSON); its text is then built by the writer's template
    /// (`EntryEncoding`) from the stored columns and the payload's canonical form, instead of
    /// through a `JSONValue` of the whole entry. A row found well
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
