import AuditCore

/// RFC 9162 §2.1 tree heads and proofs, computed from stored perfect subtree hashes.
///
/// Every MTH the RFC recursions need is of a range `[start, start + count)` whose start is
/// a multiple of the smallest power of two >= count: the left part of each split is a
/// perfect aligned subtree, and the right part stays aligned. Such a range is the
/// concatenation of one perfect aligned subtree per set bit of `count`, so its hash costs
/// popcount(count) reads and no rehashing of leaves. Whole proofs read at most
/// popcount(n) + floor(log2 n) nodes (proved in MerkleReadBoundTests), which is what lets
/// the SQLite store answer in O(log n) indexed reads.
public enum MerkleTree {
    /// MTH(D[0:size]); the empty tree's root is `MerkleHash.emptyRoot`.
    public static func root(size: Int, source: some MerkleNodeSource) throws -> Digest {
        try MerkleShape.checkTreeSize(size)
        if size == 0 { return MerkleHash.emptyRoot }
        return try rangeHash(start: 0, count: size, source: source)
    }

    /// PATH(index, D[size]) of RFC 9162 §2.1.3.1, leaf-side sibling first.
    public static func inclusionProof(index: Int, size: Int, source: some MerkleNodeSource) throws -> [Digest] {
        try MerkleShape.checkTreeSize(size)
        guard index >= 0, index < size else {
            throw MerkleProofError.leafIndexOutOfRange(index: index, size: size)
        }
        // The recursion unrolled top-down: each split appends one sibling, so the list
        // comes out root-side first and is reversed at the end.
        var siblings: [Digest] = []
        var start = 0
        var count = size
        var target = index
        while count > 1 {
            let k = MerkleShape.splitPoint(count)
            if target < k {
                siblings.append(try rangeHash(start: start + k, count: count - k, source: source))
                count = k
            } else {
                siblings.append(try rangeHash(start: start, count: k, source: source))
                start += k
                target -= k
                count -= k
            }
        }
        return siblings.reversed()
    }

    /// PROOF(from, D[to]) = SUBPROOF(from, D[to], true) of RFC 9162 §2.1.4.1.
    /// Empty when `from` is 0 or equals `to`: there is nothing to prove.
    public static func consistencyProof(from oldSize: Int, to newSize: Int, source: some MerkleNodeSource) throws -> [Digest] {
        try MerkleShape.checkTreeSize(oldSize)
        try MerkleShape.checkTreeSize(newSize)
        guard oldSize <= newSize else {
            throw MerkleProofError.sizesOutOfOrder(oldSize: oldSize, newSize: newSize)
        }
        if oldSize == 0 || oldSize == newSize { return [] }
        var nodes: [Digest] = []
        var start = 0
        var count = newSize
        var old = oldSize
        // The RFC's `b`: the old tree is still the whole left edge of the current subtree,
        // so the verifier already knows this subtree's hash and the base case adds nothing.
        var oldIsWholeLeftEdge = true
        while old != count {
            let k = MerkleShape.splitPoint(count)
            if old <= k {
                nodes.append(try rangeHash(start: start + k, count: count - k, source: source))
                count = k
            } else {
                nodes.append(try rangeHash(start: start, count: k, source: source))
                start += k
                old -= k
                count -= k
                oldIsWholeLeftEdge = false
            }
        }
        if !oldIsWholeLeftEdge {
            nodes.append(try rangeHash(start: start, count: count, source: source))
        }
        return nodes.reversed()
    }

    /// The perfect subtree nodes (level >= 1) completed by appending leaf `index` with hash
    /// `leafHash`, lowest first. `source` must already hold leaves `0..<index` and the nodes
    /// completed by them; the caller persists the result so later proofs never rehash the log.
    /// Reads one node per trailing 1 bit of `index` (amortised: one per append).
    public static func completedNodes(
        appendingLeafAt index: Int, leafHash: Digest, source: some MerkleNodeSource
    ) throws -> [(level: Int, index: Int, hash: Digest)] {
        guard index >= 0, index < Limits.maxMerkleTreeSize else {
            throw MerkleProofError.leafIndexOutOfRange(index: index, size: Limits.maxMerkleTreeSize)
        }
        var completed: [(level: Int, index: Int, hash: Digest)] = []
        var hash = leafHash
        var level = 0
        var position = index
        // A node at `level` is complete exactly when its right child just completed,
        // i.e. while the position at the current level is odd.
        while position & 1 == 1 {
            let leftSibling = try source.node(level: level, index: position - 1)
            hash = MerkleHash.node(leftSibling, hash)
            level += 1
            position >>= 1
            completed.append((level: level, index: position, hash: hash))
        }
        return completed
    }

    /// MTH(D[start : start + count]) for count >= 1 and `start` aligned as described above:
    /// one perfect subtree per set bit of `count`, largest first, folded right to left
    /// (the RFC splits off the largest power of two each time, leaving the rest on the right).
    static func rangeHash(start: Int, count: Int, source: some MerkleNodeSource) throws -> Digest {
        var folded: Digest?
        var level = 0
        while count >> level != 0 {
            if (count >> level) & 1 == 1 {
                // Pieces above this one cover `count` with the low level+1 bits cleared.
                let pieceStart = start + ((count >> (level + 1)) << (level + 1))
                assert(pieceStart & ((1 << level) - 1) == 0, "range start not aligned")
                let piece = try source.node(level: level, index: pieceStart >> level)
                folded = folded.map { MerkleHash.node(piece, $0) } ?? piece
            }
            level += 1
        }
        return folded ?? MerkleHash.emptyRoot
    }
}
