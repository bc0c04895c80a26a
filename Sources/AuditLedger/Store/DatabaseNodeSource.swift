import AuditCore
import Foundation
import GRDB

/// Perfect-subtree hashes read from the store: level 0 from `entries.hash`, higher levels
/// from `tree_nodes`, which the writer fills as subtrees complete. A proof therefore costs
/// O(log n) indexed reads instead of rehashing the log.
struct DatabaseNodeSource: MerkleNodeSource {
    let db: Database

    func node(level: Int, index: Int) throws -> Digest {
        let data: Data?
        if level == 0 {
            data = try Data.fetchOne(db.cachedStatement(sql: "SELECT hash FROM entries WHERE seq = ?"),
                                     arguments: [index])
        } else {
            data = try Data.fetchOne(db.cachedStatement(sql: "SELECT hash FROM tree_nodes WHERE level = ? AND idx = ?"),
                                     arguments: [level, index])
        }
        guard let data, let d = Digest(bytes: [UInt8](data)) else {
            throw LedgerError.corrupted(seq: level == 0 ? index : nil,
                                        reason: "Merkle node (level \(level), index \(index)) is missing or malformed")
        }
        return d
    }
}
