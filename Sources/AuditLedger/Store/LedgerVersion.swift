import Foundation
import GRDBSQLite

/// What the ledger file holds at one moment, as far as caches are concerned: two equal
/// versions mean nobody committed anything to the file in between — no append by this
/// process or another, and no edit made behind the ledger's back. Values derived from the
/// ledger (the replayed records state, rendered responses) are cached under the version
/// they were computed at, so they are dropped exactly when the file changes.
///
/// Versions from one store only grow, so of two versions the greater is the more recent.
public struct LedgerVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    let counter: Int64
    public var description: String { "v\(counter)" }
    public static func < (a: LedgerVersion, b: LedgerVersion) -> Bool { a.counter < b.counter }
}

/// Reads SQLite's `PRAGMA data_version` on a read-only connection of its own. SQLite
/// changes that value whenever any *other* connection, in any process, commits to the
/// file, and this connection never writes, so every commit counts. One connection only:
/// each connection counts for itself, so values from two connections cannot be compared.
///
/// Asked once per request, so it is driven through the C API with one prepared statement
/// behind a mutex (GRDB's queue and transaction around one pragma cost several times the
/// pragma itself).
final class LedgerVersionProbe: Sendable {
    private let path: String
    private let connection: Locked<ProbeConnection>

    init(path: String, location: String, busyTimeout: TimeInterval) throws(LedgerError) {
        self.path = path
        connection = Locked(try ProbeConnection(path: path, location: location, busyTimeout: busyTimeout))
    }

    /// One statement outside any explicit transaction: SQLite starts a read transaction
    /// for it, which is when it notices another connection's commit.
    func current() throws(LedgerError) -> LedgerVersion {
        let result: Result<Int64, LedgerError> = connection.withLock { $0.dataVersion() }
        return LedgerVersion(counter: try result.get())
    }
}

/// The probe's connection and statement; only used with the probe's mutex held.
private final class ProbeConnection: @unchecked Sendable {
    private let path: String
    private let handle: OpaquePointer
    private let statement: OpaquePointer

    init(path: String, location: String, busyTimeout: TimeInterval) throws(LedgerError) {
        self.path = path
        var h: OpaquePointer?
        let rc = sqlite3_open_v2(location, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, nil)
        guard rc == SQLITE_OK, let h else {
            let message = h.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(h)
            throw .storage(path: path, message: "opening the version probe: \(message)")
        }
        sqlite3_busy_timeout(h, Int32(min(busyTimeout * 1000, Double(Int32.max))))
        var s: OpaquePointer?
        guard sqlite3_prepare_v3(h, "PRAGMA data_version", -1, UInt32(SQLITE_PREPARE_PERSISTENT), &s, nil) == SQLITE_OK, let s else {
            let message = String(cString: sqlite3_errmsg(h))
            sqlite3_close_v2(h)
            throw .storage(path: path, message: "preparing PRAGMA data_version: \(message)")
        }
        handle = h
        statement = s
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close_v2(handle)
    }

    func dataVersion() -> Result<Int64, LedgerError> {
        defer { sqlite3_reset(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else {
            return .failure(.storage(path: path, message: "PRAGMA data_version: \(String(cString: sqlite3_errmsg(handle)))"))
        }
        return .success(sqlite3_column_int64(statement, 0))
    }
}
