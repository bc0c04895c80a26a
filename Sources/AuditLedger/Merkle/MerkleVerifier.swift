import AuditCore

/// RFC 9162 §2.1.3.2 and §2.1.4.2 proof verification, step by step as the RFC writes it.
/// Pure: needs no store, so bundle and export verifiers run it offline.
///
/// A tree size is only meaningful together with its root: callers must take both from the
/// same signed checkpoint (a proof checked against one size's root but another size's
/// number can verify when both sizes give the proof the same shape).
public enum MerkleVerifier {
    /// The root that `proof` leads to from leaf `index` with hash `leafHash` in a tree of
    /// `size` leaves (RFC 9162 §2.1.3.2 steps 1 to 4, plus the `sn == 0` check of step 5).
    public static func rootFromInclusionProof(
        leafHash: Digest, index: Int, size: Int, proof: [Digest]
    ) throws(MerkleProofError) -> Digest {
        try MerkleShape.checkTreeSize(size)
        // 1. leaf_index >= tree_size fails (a negative index is malformed the same way).
        guard index >= 0, index < size else { throw .leafIndexOutOfRange(index: index, size: size) }
        // 2. fn = leaf_index, sn = tree_size - 1.
        var fn = index
        var sn = size - 1
        // 3. r = hash.
        var r = leafHash
        // 4. For each p in inclusion_path:
        for p in proof {
            // a. sn == 0 means the proof is longer than this tree is deep.
            guard sn != 0 else { throw lengthMismatch(index: index, size: size, proof: proof) }
            // b.
            if fn & 1 == 1 || fn == sn {
                r = MerkleHash.node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = MerkleHash.node(r, p)
            }
            // c.
            fn >>= 1
            sn >>= 1
        }
        // 5. (first half) sn must have reached 0, or the proof was too short.
        guard sn == 0 else { throw lengthMismatch(index: index, size: size, proof: proof) }
        return r
    }

    /// Succeeds when `proof` shows that the leaf with hash `leafHash` is leaf `index` of the
    /// tree of `size` leaves whose root is `root` (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(
        leafHash: Digest, index: Int, size: Int, proof: [Digest], root: Digest
    ) throws(MerkleProofError) {
        let computed = try rootFromInclusionProof(leafHash: leafHash, index: index, size: size, proof: proof)
        // 5. (second half) r must equal root_hash.
        guard computed == root else { throw .rootMismatch(computed: computed, expected: root) }
    }

    /// Succeeds when `proof` shows the tree of `newSize` leaves with root `newRoot` is an
    /// append-only extension of the tree of `oldSize` leaves with root `oldRoot`.
    ///
    /// RFC 9162 §2.1.4.2 covers 0 < oldSize < newSize. Outside that range the proof
    /// (§2.1.4.1) is empty and there is nothing to prove but the roots themselves:
    /// equal sizes need equal roots, and size 0 needs the empty tree's root.
    public static func verifyConsistency(
        oldSize: Int, newSize: Int, oldRoot: Digest, newRoot: Digest, proof: [Digest]
    ) throws(MerkleProofError) {
        try MerkleShape.checkTreeSize(oldSize)
        try MerkleShape.checkTreeSize(newSize)
        guard oldSize <= newSize else { throw .sizesOutOfOrder(oldSize: oldSize, newSize: newSize) }
        if oldSize == newSize || oldSize == 0 {
            guard proof.isEmpty else { throw .proofLengthMismatch(expected: 0, actual: proof.count) }
            if oldSize == 0 {
                guard oldRoot == MerkleHash.emptyRoot else {
                    throw .oldRootMismatch(computed: MerkleHash.emptyRoot, expected: oldRoot)
                }
                // newSize == 0 too: the new tree is also empty and must say so.
                if newSize == 0 && newRoot != MerkleHash.emptyRoot {
                    throw .newRootMismatch(computed: MerkleHash.emptyRoot, expected: newRoot)
                }
            } else if oldRoot != newRoot {
                throw .newRootMismatch(computed: oldRoot, expected: newRoot)
            }
            return
        }
        // 1. An empty consistency_path fails.
        guard !proof.isEmpty else { throw consistencyLengthMismatch(oldSize, newSize, proof) }
        // 2. If first is an exact power of 2, prepend first_hash.
        var path = proof
        if MerkleShape.isPowerOfTwo(oldSize) { path.insert(oldRoot, at: 0) }
        // 3. fn = first - 1, sn = second - 1.
        var fn = oldSize - 1
        var sn = newSize - 1
        // 4. While LSB(fn) is set, right-shift fn and sn.
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        // 5. fr = sr = consistency_path[0].
        var fr = path[0]
        var sr = path[0]
        // 6. For each subsequent c:
        for c in path.dropFirst() {
            // a.
            guard sn != 0 else { throw consistencyLengthMismatch(oldSize, newSize, proof) }
            // b.
            if fn & 1 == 1 || fn == sn {
                fr = MerkleHash.node(c, fr)
                sr = MerkleHash.node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = MerkleHash.node(sr, c)
            }
            // c.
            fn >>= 1
            sn >>= 1
        }
        // 7. sn == 0, fr == first_hash, sr == second_hash.
        guard sn == 0 else { throw consistencyLengthMismatch(oldSize, newSize, proof) }
        guard fr == oldRoot else { throw .oldRootMismatch(computed: fr, expected: oldRoot) }
        guard sr == newRoot else { throw .newRootMismatch(computed: sr, expected: newRoot) }
    }

    private static func lengthMismatch(index: Int, size: Int, proof: [Digest]) -> MerkleProofError {
        .proofLengthMismatch(
            expected: MerkleShape.inclusionProofLength(index: index, size: size), actual: proof.count)
    }

    private static func consistencyLengthMismatch(_ oldSize: Int, _ newSize: Int, _ proof: [Digest]) -> MerkleProofError {
        .proofLengthMismatch(
            expected: MerkleShape.consistencyProofLength(oldSize: oldSize, newSize: newSize), actual: proof.count)
    }
}
