import Foundation
import GRDBSQLite

/// Read-only connections driven through the C API, each with its statements prepared once,
/// for the reads a server makes on every request: a page of entries, a proof's tree nodes.
/// Through GRDB, the pool hand-off, dispatch queue and transaction bookkeeping around one
/// such read cost as much as the read itself (measured with ServerLayers and perf; the
/// writer went the same way, see `WriterConnection`). Everything else reads through GRDB.
///
/// Each `read` is one read transaction (`BEGIN` … `COMMIT`), so all its statements see one
/// snapshot of the file, as a GRDB read does.
final class RawReadPool: Sendable {
    private let path: String
    private let location: String
    private let busyTimeout: TimeInterval
    private let idle = Locked<[RawReadConnection]>([])

    init(path: String, location: String, busyTimeout: TimeInterval) {
        self.path = path
        self.location = location
        self.busyTimeout = busyTimeout
    }

    /// Runs `body` in one read transaction; errors other than `LedgerError` become
    /// `.storage`, as `LedgerStore.read` maps them.
    func read<T>(_ body: (RawReadConnection) throws -> T) throws(LedgerError) -> T {
        let connection: RawReadConnection
        if let reused = idle.withLock({ $0.popLast() }) {
            connection = reused
        } else {
            connection = try RawReadConnection(path: path, location: location, busyTimeout: busyTimeout)
        }
        defer { idle.withLock { $0.append(connection) } }
        try connection.run(connection.begin)
        defer { connection.commit() }
        do {
            return try body(connection)
        } catch let e as LedgerError {
            throw e
        } catch {
            throw .storage(path: path, message: "\(error)")
        }
    }
}

/// One read-only connection and its prepared statements; used by one thread at a time
/// (`RawReadPool` hands it out and takes it back).
final class RawReadConnection: @unchecked Sendable {
    /// Page cache per connection (SQLite's `cache_size` in KiB).
    static let cacheKiB = 32 * 1024
    let path: String
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    fileprivate let begin: OpaquePointer
    private let end: OpaquePointer

    init(path: String, location: String, busyTimeout: TimeInterval) throws(LedgerError) {
        self.path = path
        var h: OpaquePointer?
        let rc = sqlite3_open_v2(location, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, nil)
        guard rc == SQLITE_OK, let h else {
            let message = h.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(h)
            throw .storage(path: path, message: "opening a reader: \(message)")
        }
        handle = h
        sqlite3_busy_timeout(h, Int32(min(busyTimeout * 1000, Double(Int32.max))))
        sqlite3_extended_result_codes(h, 1)
        // Random pages and proofs touch pages all over the file; SQLite's default 2 MiB cache
        // per connection holds little of a 100,000-entry ledger (≈ 40 MiB), and every miss
        // is a read(2). One connection per concurrent reader, so this bounds the memory.
        sqlite3_exec(h, "PRAGMA cache_size = -\(Self.cacheKiB)", nil, nil, nil)
        do {
            begin = try Self.prepare(h, "BEGIN", path: path)
            end = try Self.prepare(h, "COMMIT", path: path)
        } catch {
            sqlite3_close_v2(h)
            throw error
        }
    }

    deinit {
        for s in statements.values { sqlite3_finalize(s) }
        sqlite3_finalize(begin)
        sqlite3_finalize(end)
        sqlite3_close_v2(handle)
    }

    /// A prepared statement for `sql`, reset, with its bindings cleared.
    func statement(_ sql: String) throws(LedgerError) -> OpaquePointer {
        if let s = statements[sql] {
            sqlite3_reset(s)
            sqlite3_clear_bindings(s)
            return s
        }
        let s = try Self.prepare(handle, sql, path: path)
        statements[sql] = s
        return s
    }

    /// Steps a statement that returns no row or whose rows are not needed.
    func run(_ s: OpaquePointer) throws(LedgerError) {
        defer { sqlite3_reset(s) }
        let rc = sqlite3_step(s)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw failure("step") }
    }

    /// Binds `values` to `s` from parameter 1 on.
    func bind(_ values: [FilterValue], to s: OpaquePointer) {
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (i, value) in values.enumerated() {
            switch value {
            case .int(let v): sqlite3_bind_int64(s, Int32(i + 1), Int64(v))
            case .text(let v): sqlite3_bind_text(s, Int32(i + 1), v, -1, transient)
            }
        }
    }

    /// The first column of the first row as an integer, nil for no row or NULL.
    func int(_ sql: String, _ arguments: Int64...) throws(LedgerError) -> Int64? {
        let s = try statement(sql)
        defer { sqlite3_reset(s) }
        for (i, a) in arguments.enumerated() { sqlite3_bind_int64(s, Int32(i + 1), a) }
        switch sqlite3_step(s) {
        case SQLITE_ROW: return sqlite3_column_type(s, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(s, 0)
        case SQLITE_DONE: return nil
        default: throw failure(sql)
        }
    }

    /// Ends the read transaction. A read-only transaction has nothing to lose; if COMMIT
    /// fails all the same, the connection is rolled back so it never keeps a stale snapshot.
    fileprivate func commit() {
        if sqlite3_step(end) != SQLITE_DONE { sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
        sqlite3_reset(end)
    }

    func failure(_ what: String) -> LedgerError {
        .storage(path: path, message: "\(what): \(String(cString: sqlite3_errmsg(handle)))")
    }

    private static func prepare(_ h: OpaquePointer, _ sql: String, path: String) throws(LedgerError) -> OpaquePointer {
        var s: OpaquePointer?
        guard sqlite3_prepare_v3(h, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &s, nil) == SQLITE_OK, let s else {
            throw .storage(path: path, message: "preparing \(sql): \(String(cString: sqlite3_errmsg(h)))")
        }
        return s
    }
}
