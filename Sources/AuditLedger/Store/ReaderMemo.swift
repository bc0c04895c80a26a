import Foundation
import GRDB

/// What each reader connection has already checked on the file as it is at one
/// `PRAGMA data_version`: whether `RowGuard` passed (its shape check counts every row, the
/// largest cost of reading one page of a large ledger), and which rows were found well
/// formed with a canonical payload (`CanonicalRowReader`: parsing and re-encoding every
/// payload is most of the rest). While a connection's data version stays the same, nobody
/// has committed anything to the file since, so those checks would find the same again.
/// Any commit — an append, or a row deleted or edited behind the ledger's back by any
/// process — changes the version, the facts are dropped and the next read checks in full.
final class ReaderMemo: @unchecked Sendable {
    // @unchecked: `facts` is only touched with `lock` held, and each `Facts` object only
    // by the one thread using its connection at a time (GRDB and `RawReadPool` hand a
    // connection to one reader at a time).
    static let shared = ReaderMemo()
    /// Beyond this many ranges of well-formed rows (pages of a sparse filter), a connection
    /// starts a new list rather than keep growing it.
    static let maxRanges = 4_096

    /// The facts about one connection (a GRDB `Database` or a `RawReadConnection`), held
    /// weakly: a closed connection's facts can never vouch for a new connection that
    /// happens to reuse its address.
    private final class Facts {
        weak var connection: AnyObject?
        let dataVersion: Int64
        var rowGuardPassed = false
        var wellFormed = SeqRanges()
        init(_ connection: AnyObject, _ dataVersion: Int64) {
            self.connection = connection
            self.dataVersion = dataVersion
        }
    }

    private let lock = NSLock()
    private var facts: [ObjectIdentifier: Facts] = [:]

    /// The connection's data version, read inside the caller's read transaction, so it
    /// names the snapshot every later statement of that transaction sees.
    static func dataVersion(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? -1
    }

    func rowGuardPassed(_ db: AnyObject, at dataVersion: Int64) -> Bool {
        facts(db, dataVersion).rowGuardPassed
    }

    func noteRowGuardPassed(_ db: AnyObject, at dataVersion: Int64) {
        facts(db, dataVersion).rowGuardPassed = true
    }

    func wellFormedRows(_ db: AnyObject, at dataVersion: Int64) -> SeqRanges {
        facts(db, dataVersion).wellFormed
    }

    func noteWellFormed(_ seqs: [Int], _ db: AnyObject, at dataVersion: Int64) {
        let f = facts(db, dataVersion)
        if f.wellFormed.ranges.count > Self.maxRanges { f.wellFormed = SeqRanges() }
        f.wellFormed.insert(seqs)
    }

    /// This connection's facts at this data version: fresh (empty) ones if the file changed.
    private func facts(_ db: AnyObject, _ dataVersion: Int64) -> Facts {
        lock.withLock {
            let key = ObjectIdentifier(db)
            if let known = facts[key], known.connection === db, known.dataVersion == dataVersion { return known }
            if facts.count > 64 { facts = facts.filter { $0.value.connection != nil } }
            let fresh = Facts(db, dataVersion)
            facts[key] = fresh
            return fresh
        }
    }
}
