import AuditCore
import Foundation

/// Perfect-subtree hashes that proofs have read, kept while the file is unchanged. An
/// inclusion or consistency proof reads O(log n) nodes, and all proofs of one tree share
/// its upper levels; answering those from memory leaves a proof a few indexed reads near
/// its own leaves.
///
/// Kept per `LedgerVersion` and forgotten as a whole when the version changes: in an honest
/// ledger a node never changes once written, but a file restored from a backup, or edited
/// behind the ledger's back, may hold other nodes at the same positions, and a proof must
/// always be built from what the file holds now. Only levels with at most `levelLimit`
/// nodes are kept (so at most 2 × `levelLimit` nodes, ≈ 13 MiB, however large the ledger).
///
/// The version is read before the proof's transaction starts, so a node may come from a
/// commit newer than the version it is kept under; the next caller to read the version
/// sees the newer one and the memo starts over.
final class ProofNodeMemo: @unchecked Sendable {
    // @unchecked: `version` and `nodes` are only touched with `lock` held.
    static let levelLimit = 1 << 16

    private struct Key: Hashable {
        let level: Int
        let index: Int
    }

    private let lock = NSLock()
    private var version: LedgerVersion?
    private var nodes: [Key: Digest] = [:]

    /// A node source reading through this memo for a transaction that sees the file at
    /// `version` and holds `size` entries.
    func source(over database: some MerkleNodeSource, version: LedgerVersion, size: Int) -> MemoizedNodeSource {
        lock.withLock {
            if self.version != version {
                nodes.removeAll(keepingCapacity: true)
                self.version = version
            }
        }
        return MemoizedNodeSource(memo: self, database: database, version: version, size: size)
    }

    /// Whether a level is small enough to keep in a tree of `size` entries.
    static func keeps(level: Int, size: Int) -> Bool {
        size >> level <= levelLimit
    }

    fileprivate func lookup(level: Int, index: Int, version: LedgerVersion) -> Digest? {
        lock.withLock { self.version == version ? nodes[Key(level: level, index: index)] : nil }
    }

    fileprivate func remember(level: Int, index: Int, hash: Digest, version: LedgerVersion) {
        lock.withLock {
            if self.version == version { nodes[Key(level: level, index: index)] = hash }
        }
    }

    var count: Int { lock.withLock { nodes.count } }
}

/// Reads nodes from the memo, else from the database (remembering those of kept levels).
struct MemoizedNodeSource: MerkleNodeSource {
    fileprivate let memo: ProofNodeMemo
    let database: any MerkleNodeSource
    let version: LedgerVersion
    let size: Int

    func node(level: Int, index: Int) throws -> Digest {
        if let hit = memo.lookup(level: level, index: index, version: version) { return hit }
        let hash = try database.node(level: level, index: index)
        if ProofNodeMemo.keeps(level: level, size: size) {
            memo.remember(level: level, index: index, hash: hash, version: version)
        }
        return hash
    }
}
