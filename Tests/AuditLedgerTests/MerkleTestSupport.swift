import AuditCore
import AuditCrypto
import AuditLedger
import AuditTesting

/// Shared helpers for the Merkle suites.
enum MerkleFixtures {
    /// Distinct leaf hashes 0..<count (leaf data is the index, so no two are equal).
    static func leafHashes(_ count: Int) -> [Digest] {
        (0..<count).map { MerkleHash.leaf(Array("entry-\($0)".utf8)) }
    }

    /// `digest` with bit `bit` (0..<256) flipped.
    static func flipping(_ digest: Digest, bit: Int) -> Digest {
        var bytes = digest.bytes
        bytes[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
        return Digest(uncheckedBytes: bytes)
    }
}

/// Wraps a node source and counts reads, and checks that every request names a perfect
/// subtree lying wholly inside `treeSize` (the only nodes a store can have persisted).
final class CountingNodeSource<Base: MerkleNodeSource>: MerkleNodeSource {
    struct OutsideTree: Error, CustomStringConvertible {
        let level: Int, index: Int, treeSize: Int
        var description: String { "read of node (\(level), \(index)) outside a tree of size \(treeSize)" }
    }

    let base: Base
    var treeSize: Int
    var reads = 0

    init(_ base: Base, treeSize: Int) {
        self.base = base
        self.treeSize = treeSize
    }

    func node(level: Int, index: Int) throws -> Digest {
        reads += 1
        guard level >= 0, level < 63, index >= 0, index < (treeSize >> level) else {
            throw OutsideTree(level: level, index: index, treeSize: treeSize)
        }
        return try base.node(level: level, index: index)
    }
}

/// A node source for any size up to 2^62 without storing anything: each node's "hash" is
/// its coordinates spelled out in bytes. Only read counts are meaningful with it.
struct SyntheticNodeSource: MerkleNodeSource {
    func node(level: Int, index: Int) throws -> Digest {
        var bytes = [UInt8](repeating: 0, count: Digest.byteCount)
        bytes[0] = UInt8(truncatingIfNeeded: level)
        for i in 0..<8 { bytes[1 + i] = UInt8(truncatingIfNeeded: index >> (8 * i)) }
        return Digest(uncheckedBytes: bytes)
    }
}

extension Int {
    /// floor(log2(self)) for self >= 1.
    var floorLog2: Int { Int.bitWidth - 1 - leadingZeroBitCount }
}

/// A genuine tree of any size up to 2^62 in which every leaf hash is the same: the
/// perfect subtree at level L is the same hash for every index, so 63 hashes describe
/// the whole tree and proofs at hostile sizes can be generated *and* verified.
struct UniformTreeSource: MerkleNodeSource {
    let levelHashes: [Digest]

    init(leafHash: Digest = MerkleHash.leaf(Array("uniform".utf8))) {
        var hashes = [leafHash]
        for _ in 1...62 { hashes.append(MerkleHash.node(hashes[hashes.count - 1], hashes[hashes.count - 1])) }
        levelHashes = hashes
    }

    var leafHash: Digest { levelHashes[0] }

    func node(level: Int, index: Int) throws -> Digest { levelHashes[level] }
}
