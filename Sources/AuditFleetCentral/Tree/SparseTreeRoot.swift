import AuditCore
import AuditLedger

/// The root of the first `size` leaves of a plant's stored tree, for any size up to the
/// stored one: what a fork or rollback check compares a plant's older checkpoint with.
///
/// The central keeps leaf hashes and only every eighth level of perfect subtree nodes
/// (`plant_nodes`), so a piece of the tree at level L is folded from at most 2^7 stored
/// hashes of level L − L mod 8. The root needs one piece per set bit of `size` (RFC 9162:
/// the largest power of two splits off first), so at most 64 range reads of ≤ 128 rows.
enum SparseTreeRoot {
    static let levelStride = 8

    /// `fetch(level, firstIndex, count)` returns `count` consecutive stored hashes of `level`
    /// (level 0: leaf hashes) or fewer when the store lacks them (then this throws).
    static func root(size: Int, fetch: (_ level: Int, _ first: Int, _ count: Int) async throws -> [Digest])
        async throws -> Digest {
        guard size > 0 else { return MerkleHash.emptyRoot }
        var folded: Digest?
        var level = 0
        while size >> level != 0 {
            if (size >> level) & 1 == 1 {
                let pieceStart = (size >> (level + 1)) << (level + 1)
                let base = level - level % levelStride
                let count = 1 << (level - base)
                let hashes = try await fetch(base, pieceStart >> base, count)
                guard hashes.count == count else { throw MissingNodes(level: base, first: pieceStart >> base, count: count) }
                let piece = foldPerfect(hashes)
                folded = folded.map { MerkleHash.node(piece, $0) } ?? piece
            }
            level += 1
        }
        return folded ?? MerkleHash.emptyRoot
    }

    /// MTH of a perfect subtree from its 2^k hashes at one level.
    static func foldPerfect(_ hashes: [Digest]) -> Digest {
        var layer = hashes
        while layer.count > 1 {
            layer = stride(from: 0, to: layer.count, by: 2).map { MerkleHash.node(layer[$0], layer[$0 + 1]) }
        }
        return layer[0]
    }

    /// Whether the ingest stores a completed node of this level in `plant_nodes`.
    static func isStored(level: Int) -> Bool { level > 0 && level % levelStride == 0 }

    struct MissingNodes: Error, CustomStringConvertible {
        let level: Int
        let first: Int
        let count: Int
        var description: String { "the stored tree lacks hashes \(first)..<\(first + count) at level \(level)" }
    }
}
