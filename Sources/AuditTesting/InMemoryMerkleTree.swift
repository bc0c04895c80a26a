import AuditCore
import AuditLedger

/// A Merkle tree held in memory that grows the way the SQLite store does: each append
/// stores the leaf hash and the nodes `MerkleTree.completedNodes` reports, and proofs are
/// read back through `MerkleTree`, so tests of this class exercise the store's code path.
/// Hashes are kept as flat 32-byte runs per level (a million leaves take about 64 MB).
public final class InMemoryMerkleTree: MerkleNodeSource {
    /// Thrown when asked for a node this tree has not completed yet.
    public struct MissingNode: Error, Equatable, CustomStringConvertible {
        public let level: Int
        public let index: Int
        public var description: String { "no completed Merkle node at level \(level), index \(index)" }
    }

    /// `levels[L]` holds node(level: L, index: i) at bytes `[32 i, 32 i + 32)`.
    private var levels: [[UInt8]] = [[]]

    public init() {}

    /// A tree with these leaf hashes appended in order.
    public convenience init(leafHashes: [Digest]) throws {
        self.init()
        for leafHash in leafHashes { try append(leafHash: leafHash) }
    }

    /// Number of leaves.
    public var size: Int { levels[0].count / Digest.byteCount }

    /// Appends a leaf by its RFC 9162 leaf hash.
    public func append(leafHash: Digest) throws {
        let completed = try MerkleTree.completedNodes(appendingLeafAt: size, leafHash: leafHash, source: self)
        levels[0].append(contentsOf: leafHash.bytes)
        for node in completed {
            if node.level == levels.count { levels.append([]) }
            levels[node.level].append(contentsOf: node.hash.bytes)
        }
    }

    /// Appends a leaf by its data and returns the leaf hash.
    @discardableResult
    public func append(data: [UInt8]) throws -> Digest {
        let leafHash = MerkleHash.leaf(data)
        try append(leafHash: leafHash)
        return leafHash
    }

    public func node(level: Int, index: Int) throws -> Digest {
        guard level >= 0, level < levels.count, index >= 0,
              index < levels[level].count / Digest.byteCount else {
            throw MissingNode(level: level, index: index)
        }
        let offset = index * Digest.byteCount
        return Digest(uncheckedBytes: Array(levels[level][offset..<offset + Digest.byteCount]))
    }

    /// Root of the first `size` leaves (default: all of them).
    public func root(size: Int? = nil) throws -> Digest {
        try MerkleTree.root(size: size ?? self.size, source: self)
    }
}

// MARK: - Reference implementation

/// RFC 9162 §2.1 written directly as the RFC's recursions over the list of leaf hashes,
/// with no stored nodes and no cleverness: slow (O(n) hashes per call) but easy to check
/// against the RFC text, so it serves as the oracle the store-style code is compared with.
extension InMemoryMerkleTree {
    /// MTH(D[n]) from leaf hashes (§2.1.1).
    public static func referenceRoot(leaves: [Digest]) -> Digest {
        referenceRoot(leaves[...])
    }

    /// PATH(m, D[n]) (§2.1.3.1); `index` must be below `leaves.count`.
    public static func referenceInclusionProof(index: Int, leaves: [Digest]) -> [Digest] {
        referencePath(index, leaves[...])
    }

    /// PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (§2.1.4.1); `oldSize` must be in 1...leaves.count.
    public static func referenceConsistencyProof(oldSize: Int, leaves: [Digest]) -> [Digest] {
        referenceSubproof(oldSize, leaves[...], true)
    }

    private static func referenceRoot(_ d: ArraySlice<Digest>) -> Digest {
        let n = d.count
        if n == 0 { return MerkleHash.emptyRoot }
        if n == 1 { return d[d.startIndex] }
        let k = largestPowerOfTwo(below: n)
        let mid = d.startIndex + k
        return MerkleHash.node(referenceRoot(d[d.startIndex..<mid]), referenceRoot(d[mid...]))
    }

    private static func referencePath(_ m: Int, _ d: ArraySlice<Digest>) -> [Digest] {
        let n = d.count
        if n == 1 { return [] }
        let k = largestPowerOfTwo(below: n)
        let mid = d.startIndex + k
        if m < k {
            return referencePath(m, d[d.startIndex..<mid]) + [referenceRoot(d[mid...])]
        }
        return referencePath(m - k, d[mid...]) + [referenceRoot(d[d.startIndex..<mid])]
    }

    private static func referenceSubproof(_ m: Int, _ d: ArraySlice<Digest>, _ b: Bool) -> [Digest] {
        let n = d.count
        if m == n { return b ? [] : [referenceRoot(d)] }
        let k = largestPowerOfTwo(below: n)
        let mid = d.startIndex + k
        if m <= k {
            return referenceSubproof(m, d[d.startIndex..<mid], b) + [referenceRoot(d[mid...])]
        }
        return referenceSubproof(m - k, d[mid...], false) + [referenceRoot(d[d.startIndex..<mid])]
    }

    /// "k is the largest power of two smaller than n", by doubling, as the RFC phrases it.
    private static func largestPowerOfTwo(below n: Int) -> Int {
        var k = 1
        while k * 2 < n { k *= 2 }
        return k
    }
}
