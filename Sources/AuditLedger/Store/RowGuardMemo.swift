import Foundation
import GRDB

/// Remembers, per reader connection, the `PRAGMA data_version` at which `RowGuard` last
/// passed. The guard's shape check counts every row (O(n): most of the cost of reading one
/// page of a large ledger); while a connection's data version stays the same, nobody has
/// committed anything to the file since that pass, so the same snapshot would pass again.
/// Any commit — an append, or a row deleted or edited behind the ledger's back by any
/// process — changes the version, and the next read checks in full.
final class RowGuardMemo: @unchecked Sendable {
    // @unchecked: `passes` is only touched with `lock` held.
    static let shared = RowGuardMemo()

    /// A connection the guard passed on, held weakly: a closed connection's entry can never
    /// vouch for a new connection that happens to reuse its address.
    private final class Pass {
        weak var connection: Database?
        let dataVersion: Int64
        init(_ connection: Database, _ dataVersion: Int64) {
            self.connection = connection
            self.dataVersion = dataVersion
        }
    }

    private let lock = NSLock()
    private var passes: [ObjectIdentifier: Pass] = [:]

    /// The connection's data version, read inside the caller's read transaction, so it
    /// names the snapshot every later statement of that transaction sees.
    static func dataVersion(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? -1
    }

    func passed(_ db: Database, at dataVersion: Int64) -> Bool {
        lock.withLock {
            guard let pass = passes[ObjectIdentifier(db)] else { return false }
            return pass.connection === db && pass.dataVersion == dataVersion
        }
    }

    func remember(_ db: Database, at dataVersion: Int64) {
        lock.withLock {
            if passes.count > 64 { passes = passes.filter { $0.value.connection != nil } }
            passes[ObjectIdentifier(db)] = Pass(db, dataVersion)
        }
    }
}
