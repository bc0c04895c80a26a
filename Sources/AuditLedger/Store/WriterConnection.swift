import AuditCore
import Foundation
import GRDBSQLite

/// The writer's own SQLite connection, driven through the C API with prepared statements:
/// an append is a handful of statements, and per statement GRDB's argument boxing and
/// row machinery cost more than SQLite itself.
///
/// Opening it writes nothing (the file is in WAL mode since `create`; WAL is persistent), and
/// every transaction starts with `BEGIN IMMEDIATE`, which waits on the busy timeout for the
/// write lock. A deferred transaction that reads and then writes could instead fail at once
/// with SQLITE_BUSY when another process committed in between: the "database is locked" seen
/// with several appending processes.
final class WriterConnection {
    let handle: OpaquePointer
    let path: String
    private var statements: [String: OpaquePointer] = [:]

    init(path: String, synchronous: LedgerStore.Synchronous, busyTimeout: TimeInterval) throws(LedgerError) {
        self.path = path
        var h: OpaquePointer?
        let rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let h else {
            let message = h.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(h)
            throw .storage(path: path, message: message)
        }
        handle = h
        sqlite3_busy_timeout(h, Int32(min(busyTimeout * 1000, Double(Int32.max))))
        sqlite3_extended_result_codes(h, 1)
        try exec("PRAGMA synchronous = \(synchronous.rawValue)")
        let mode = try queryText("PRAGMA journal_mode")
        guard mode == "wal" else {
            throw .storage(path: path, message: "the ledger is not in WAL mode (journal_mode=\(mode ?? "?"))")
        }
    }

    deinit {
        for s in statements.values { sqlite3_finalize(s) }
        sqlite3_close_v2(handle)
    }

    func exec(_ sql: String) throws(LedgerError) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(sql) }
    }

    /// A cached prepared statement, reset and with its bindings cleared.
    func statement(_ sql: String) throws(LedgerError) -> WriterStatement {
        if let s = statements[sql] {
            sqlite3_reset(s)
            sqlite3_clear_bindings(s)
            return WriterStatement(handle: s, connection: self)
        }
        var s: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &s, nil) == SQLITE_OK, let s else {
            throw error(sql)
        }
        statements[sql] = s
        return WriterStatement(handle: s, connection: self)
    }

    func queryInt(_ sql: String) throws(LedgerError) -> Int64? {
        let s = try statement(sql)
        defer { s.reset() }
        return try s.step() ? sqlite3_column_int64(s.handle, 0) : nil
    }

    func queryText(_ sql: String) throws(LedgerError) -> String? {
        let s = try statement(sql)
        defer { s.reset() }
        return try s.step() ? s.text(0) : nil
    }

    func error(_ context: String) -> LedgerError {
        .storage(path: path, message: "\(String(cString: sqlite3_errmsg(handle))) (\(context.prefix(60)))")
    }
}

/// One prepared statement of the writer connection. Text and blobs are bound as
/// SQLITE_TRANSIENT copies, so callers need not keep buffers alive until the step.
struct WriterStatement {
    let handle: OpaquePointer
    unowned let connection: WriterConnection

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }

    func bind(_ index: Int32, _ value: String) {
        var v = value
        v.withUTF8 { b in
            if let base = b.baseAddress {
                _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                                      Int32(b.count), Self.transient)
            } else {
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
        }
    }

    func bind(_ index: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { b in _ = sqlite3_bind_blob(handle, index, b.baseAddress, Int32(b.count), Self.transient) }
    }

    /// True for a row, false when done.
    func step() throws(LedgerError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let e = connection.error(String(cString: sqlite3_sql(handle)))
            sqlite3_reset(handle)
            throw e
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws(LedgerError) {
        _ = try step()
        sqlite3_reset(handle)
    }

    func reset() { sqlite3_reset(handle) }

    func type(_ column: Int32) -> Int32 { sqlite3_column_type(handle, column) }

    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    func blob(_ column: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(handle, column))
        guard n > 0, let p = sqlite3_column_blob(handle, column) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: p, count: n))
    }
}
