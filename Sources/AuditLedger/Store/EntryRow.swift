import AuditCore
import Foundation
import GRDB
import GRDBSQLite

/// Mapping between an `entries` row and `Entry`. The payload column holds the canonical
/// JSON text exactly as hashed, so the verifier can hash stored bytes without re-encoding.
///
/// Every column's storage type is checked, not converted: a kind stored as a BLOB has the
/// same bytes and hash as the text, but SQL comparisons never match it, so a reader that
/// converted it silently would see a row the filtered queries hide. Such a row is refused
/// loudly instead (`LedgerError.corrupted`), as `verify` refuses it.
enum EntryRow {
    /// The columns in the order `decode` reads them.
    static let columns = "seq, time, kind, actor, subject, payload, prev, hash"
    /// Name and SQLite storage type of each column, in `columns` order.
    static let expectedTypes: [(name: String, type: Int32)] = [
        ("seq", SQLiteType.integer), ("time", SQLiteType.text), ("kind", SQLiteType.text), ("actor", SQLiteType.text),
        ("subject", SQLiteType.text), ("payload", SQLiteType.text), ("prev", SQLiteType.blob), ("hash", SQLiteType.blob),
    ]

    static func decode(_ row: Row) throws -> Entry {
        let values = (0..<8).map { row[$0] as DatabaseValue }
        guard case .int64(let seq64) = values[0].storage else {
            throw LedgerError.corrupted(seq: nil, reason: "a row's seq holds \(SQLiteType.name(of: values[0])), not an integer")
        }
        let seq = Int(seq64)
        for (i, column) in expectedTypes.enumerated() where SQLiteType.code(of: values[i]) != column.type {
            throw LedgerError.corrupted(seq: seq, reason: "column \(column.name) holds \(SQLiteType.name(of: values[i])), not \(SQLiteType.name(column.type))")
        }
        guard seq >= 0 else { throw LedgerError.corrupted(seq: seq, reason: "a row with a negative seq is outside the log") }
        func text(_ i: Int) -> String { if case .string(let s) = values[i].storage { return s } else { return "" } }
        func blob(_ i: Int) -> [UInt8] { if case .blob(let d) = values[i].storage { return [UInt8](d) } else { return [] } }
        let time = text(1)
        guard EntryTime.millis(time) != nil else {
            throw LedgerError.corrupted(seq: seq, reason: "time '\(time)' is not in the form YYYY-MM-DDTHH:MM:SS.mmmZ")
        }
        let payload: JSONValue
        do {
            payload = try JSONValue.parse(Array(text(5).utf8), source: "entry \(seq) payload")
        } catch {
            throw LedgerError.corrupted(seq: seq, reason: "stored payload is not valid JSON: \(error)")
        }
        guard let prev = Digest(bytes: blob(6)), blob(7).count == 32 else {
            throw LedgerError.corrupted(seq: seq, reason: "prev or hash is not 32 bytes")
        }
        return Entry(seq: seq, time: time, kind: text(2), actor: text(3), subject: text(4), payload: payload, prev: prev)
    }
}

/// SQLite's storage classes (`sqlite3_column_type`, `typeof()`), named for messages.
enum SQLiteType {
    static let integer: Int32 = 1, float: Int32 = 2, text: Int32 = 3, blob: Int32 = 4, null: Int32 = 5

    static func name(_ code: Int32) -> String {
        switch code {
        case integer: return "an integer"
        case float: return "a real number"
        case text: return "text"
        case blob: return "a blob"
        default: return "NULL"
        }
    }

    static func code(of value: DatabaseValue) -> Int32 {
        switch value.storage {
        case .null: return null
        case .int64: return integer
        case .double: return float
        case .string: return text
        case .blob: return blob
        }
    }

    static func name(of value: DatabaseValue) -> String { name(code(of: value)) }
}

/// The check every filtered reader makes first, inside its own read transaction: the
/// entries table holds exactly seq 0..<size and no malformed row (`LedgerSchema`). A
/// filtered query cannot see a row it skips, so it must know that no row can be skipped.
/// A connection that passed it on an unchanged file skips the repeat (`ReaderMemo`).
enum RowGuard {
    /// Returns the connection's data version, which the caller's further checks may key on.
    @discardableResult
    static func check(_ db: Database) throws -> Int64 {
        let dataVersion = try ReaderMemo.dataVersion(db)
        if ReaderMemo.shared.rowGuardPassed(db, at: dataVersion) { return dataVersion }
        try checkRows(db)
        ReaderMemo.shared.noteRowGuardPassed(db, at: dataVersion)
        return dataVersion
    }

    /// The guard on a raw reader connection: true when the rows are exactly 0..<size and
    /// none is malformed. False sends the caller to read through GRDB, where `check`
    /// throws the precise error.
    static func holds(_ c: RawReadConnection) throws(LedgerError) -> Bool {
        let shape = try c.statement("SELECT count(*), min(seq), max(seq) FROM entries")
        defer { sqlite3_reset(shape) }
        guard sqlite3_step(shape) == SQLITE_ROW else { throw c.failure("counting entries") }
        let count = sqlite3_column_int64(shape, 0)
        if count > 0 {
            guard sqlite3_column_type(shape, 1) == SQLITE_INTEGER, sqlite3_column_int64(shape, 1) == 0,
                  sqlite3_column_type(shape, 2) == SQLITE_INTEGER, sqlite3_column_int64(shape, 2) == count - 1 else { return false }
        }
        // A malformed row always has its seq (the rowid), so "no value" means no such row.
        return try c.int("SELECT seq FROM entries WHERE \(LedgerSchema.malformedRowCondition) LIMIT 1") == nil
    }

    private static func checkRows(_ db: Database) throws {
        let shape = try Row.fetchOne(db.cachedStatement(sql: "SELECT count(*), min(seq), max(seq) FROM entries"))
        let count: Int = shape?[0] ?? 0
        if count > 0 {
            let low = (shape?[1] as DatabaseValue?)?.storage, high = (shape?[2] as DatabaseValue?)?.storage
            guard case .int64(0) = low, case .int64(let max) = high, max == Int64(count - 1) else {
                throw LedgerError.corrupted(seq: nil, reason: "the entries table has \(count) rows but not exactly seq 0..\(count - 1): rows were removed or added out of place (run `auditctl verify`)")
            }
        }
        let sql = "SELECT \(EntryRow.columns) FROM entries WHERE \(LedgerSchema.malformedRowCondition) LIMIT 1"
        if let bad = try Row.fetchOne(db.cachedStatement(sql: sql)) {
            _ = try EntryRow.decode(bad) // throws, naming the column
            throw LedgerError.corrupted(seq: bad[0], reason: "prev or hash is not 32 bytes")
        }
    }
}

/// Which entries `auditctl log` lists.
public struct EntryFilter: Sendable {
    public var kind: String?
    /// Any of these kinds (uses the kind index); combined with `kind` by AND.
    public var kinds: [String]?
    public var actor: String?
    public var subject: String?
    public var fromSeq: Int?
    public var toSeq: Int?
    public var since: String?
    public var until: String?
    public var limit: Int?

    public init(kind: String? = nil, kinds: [String]? = nil, actor: String? = nil, subject: String? = nil,
                fromSeq: Int? = nil, toSeq: Int? = nil, since: String? = nil,
                until: String? = nil, limit: Int? = nil) {
        self.kind = kind
        self.kinds = kinds
        self.actor = actor
        self.subject = subject
        self.fromSeq = fromSeq
        self.toSeq = toSeq
        self.since = since
        self.until = until
        self.limit = limit
    }

    /// The query through GRDB.
    func sql() -> (String, StatementArguments) {
        let (sql, values) = query()
        return (sql, StatementArguments(values.map { value -> any DatabaseValueConvertible in
            switch value {
            case .int(let v): return v
            case .text(let v): return v
            }
        }))
    }

    /// The query and the values bound to its parameters, in order.
    func query() -> (sql: String, values: [FilterValue]) {
        var clauses: [String] = []
        var values: [FilterValue] = []
        if let kind { clauses.append("kind = ?"); values.append(.text(kind)) }
        if let kinds {
            if kinds.isEmpty { clauses.append("0") } else {
                clauses.append("kind IN (" + kinds.map { _ in "?" }.joined(separator: ",") + ")")
                values += kinds.map(FilterValue.text)
            }
        }
        if let actor { clauses.append("actor = ?"); values.append(.text(actor)) }
        if let subject { clauses.append("subject = ?"); values.append(.text(subject)) }
        if let fromSeq { clauses.append("seq >= ?"); values.append(.int(fromSeq)) }
        if let toSeq { clauses.append("seq <= ?"); values.append(.int(toSeq)) }
        if let since { clauses.append("time >= ?"); values.append(.text(since)) }
        if let until { clauses.append("time <= ?"); values.append(.text(until)) }
        var sql = "SELECT \(EntryRow.columns) FROM entries"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY seq"
        // Bound, not spliced, so each filter shape is one prepared statement per connection.
        if let limit { sql += " LIMIT ?"; values.append(.int(max(0, limit))) }
        return (sql, values)
    }
}

/// A value an `EntryFilter` binds to its query.
enum FilterValue: Sendable, Equatable {
    case int(Int)
    case text(String)
}
