import AuditCore
import GRDBSQLite

/// The last entry's position, hash and time, read inside the write transaction so that
/// another process appending to the same file can never fork the chain.
struct ChainTail: Equatable {
    var size: Int
    var hash: Digest
    var lastTime: String
    /// `lastTime` in milliseconds since the epoch; nil for an empty log.
    var lastMillis: Int64?

    static let empty = ChainTail(size: 0, hash: .zero, lastTime: "", lastMillis: nil)

    static func read(_ c: WriterConnection) throws(LedgerError) -> ChainTail {
        let s = try c.statement("SELECT seq, hash, time FROM entries ORDER BY seq DESC LIMIT 1")
        defer { s.reset() }
        guard try s.step() else { return .empty }
        let seq = Int(sqlite3_column_int64(s.handle, 0))
        guard s.type(0) == SQLITE_INTEGER, s.type(1) == SQLITE_BLOB, s.type(2) == SQLITE_TEXT,
              let hash = Digest(bytes: s.blob(1)), let time = s.text(2), let millis = EntryTime.millis(time) else {
            throw .corrupted(seq: seq, reason: "the newest entry's seq, hash or time is malformed; nothing was appended (run `auditctl verify`)")
        }
        return ChainTail(size: seq + 1, hash: hash, lastTime: time, lastMillis: millis)
    }
}

/// Perfect-subtree hashes read through the writer connection (level 0 from `entries.hash`,
/// higher levels from `tree_nodes`); the frontier cache in front of it answers almost all.
struct WriterNodeSource: MerkleNodeSource {
    let connection: WriterConnection

    func node(level: Int, index: Int) throws -> Digest {
        let s = level == 0
            ? try connection.statement("SELECT hash FROM entries WHERE seq = ?")
            : try connection.statement("SELECT hash FROM tree_nodes WHERE level = ? AND idx = ?")
        defer { s.reset() }
        if level == 0 { s.bind(1, index) } else { s.bind(1, level); s.bind(2, index) }
        guard try s.step(), s.type(0) == SQLITE_BLOB, let d = Digest(bytes: s.blob(0)) else {
            throw LedgerError.corrupted(seq: level == 0 ? index : nil,
                                        reason: "Merkle node (level \(level), index \(index)) is missing or malformed")
        }
        return d
    }
}
