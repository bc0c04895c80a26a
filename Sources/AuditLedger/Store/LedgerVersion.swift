import GRDB

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
final class LedgerVersionProbe: Sendable {
    private let path: String
    private let connection: DatabaseQueue

    init(path: String, connection: DatabaseQueue) {
        self.path = path
        self.connection = connection
    }

    /// One statement outside any explicit transaction: SQLite starts a read transaction
    /// for it, which is when it notices another connection's commit.
    func current() throws(LedgerError) -> LedgerVersion {
        let counter: Int64?
        do {
            counter = try connection.unsafeRead { db in try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) }
        } catch {
            throw .storage(path: path, message: "reading PRAGMA data_version: \(error)")
        }
        guard let counter else { throw .storage(path: path, message: "PRAGMA data_version returned no row") }
        return LedgerVersion(counter: counter)
    }
}
