import AuditCore
import AuditLedger
import AuditTesting
import Testing

/// Every tree size up to 64, every leaf and every old size: the store-style algorithm
/// (perfect subtrees only) must produce exactly the RFC recursion's root and proofs, and
/// every proof must verify with the RFC 9162 verifier.
@Suite struct MerkleCrossCheckTests {
    static let maxSize = 64

    @Test func rootsMatchReference() throws {
        let leaves = MerkleFixtures.leafHashes(Self.maxSize)
        let tree = try InMemoryMerkleTree(leafHashes: leaves)
        for size in 0...Self.maxSize {
            let reference = InMemoryMerkleTree.referenceRoot(leaves: Array(leaves[..<size]))
            #expect(try tree.root(size: size) == reference, "size \(size)")
        }
    }

    @Test func everyInclusionProofUpTo64() throws {
        let leaves = MerkleFixtures.leafHashes(Self.maxSize)
        let tree = try InMemoryMerkleTree(leafHashes: leaves)
        var checked = 0
        for size in 1...Self.maxSize {
            let prefix = Array(leaves[..<size])
            let root = InMemoryMerkleTree.referenceRoot(leaves: prefix)
            for index in 0..<size {
                let proof = try MerkleTree.inclusionProof(index: index, size: size, source: tree)
                #expect(proof == InMemoryMerkleTree.referenceInclusionProof(index: index, leaves: prefix),
                        "leaf \(index) of \(size)")
                #expect(try MerkleVerifier.rootFromInclusionProof(
                    leafHash: leaves[index], index: index, size: size, proof: proof) == root)
                try MerkleVerifier.verifyInclusion(
                    leafHash: leaves[index], index: index, size: size, proof: proof, root: root)
                checked += 1
            }
        }
        #expect(checked == Self.maxSize * (Self.maxSize + 1) / 2)
    }

    @Test func everyConsistencyProofUpTo64() throws {
        let leaves = MerkleFixtures.leafHashes(Self.maxSize)
        let tree = try InMemoryMerkleTree(leafHashes: leaves)
        let roots = (0...Self.maxSize).map { InMemoryMerkleTree.referenceRoot(leaves: Array(leaves[..<$0])) }
        var checked = 0
        for newSize in 1...Self.maxSize {
            let prefix = Array(leaves[..<newSize])
            for oldSize in 1...newSize {
                let proof = try MerkleTree.consistencyProof(from: oldSize, to: newSize, source: tree)
                #expect(proof == InMemoryMerkleTree.referenceConsistencyProof(oldSize: oldSize, leaves: prefix),
                        "\(oldSize) -> \(newSize)")
                try MerkleVerifier.verifyConsistency(oldSize: oldSize, newSize: newSize,
                                                     oldRoot: roots[oldSize], newRoot: roots[newSize], proof: proof)
                checked += 1
            }
            // From the empty tree: nothing to prove.
            #expect(try MerkleTree.consistencyProof(from: 0, to: newSize, source: tree).isEmpty)
            try MerkleVerifier.verifyConsistency(oldSize: 0, newSize: newSize,
                                                 oldRoot: MerkleHash.emptyRoot, newRoot: roots[newSize], proof: [])
        }
        #expect(checked == Self.maxSize * (Self.maxSize + 1) / 2)
    }

    /// The nodes persisted at append time are exactly the perfect subtrees of the
    /// reference tree, and each append completes one node per trailing 1 bit of its index.
    @Test func completedNodesAreThePerfectSubtrees() throws {
        let leaves = MerkleFixtures.leafHashes(Self.maxSize)
        let tree = InMemoryMerkleTree()
        for (index, leafHash) in leaves.enumerated() {
            let completed = try MerkleTree.completedNodes(appendingLeafAt: index, leafHash: leafHash, source: tree)
            #expect(completed.count == (~index).trailingZeroBitCount)
            for node in completed {
                let first = node.index << node.level
                let reference = InMemoryMerkleTree.referenceRoot(leaves: Array(leaves[first..<first + (1 << node.level)]))
                #expect(node.hash == reference, "node (\(node.level), \(node.index))")
                #expect(first + (1 << node.level) == index + 1, "completed by a later leaf")
            }
            try tree.append(leafHash: leafHash)
        }
        // Level 6 holds the single 64-leaf subtree, which is the whole tree.
        #expect(try tree.node(level: 6, index: 0) == InMemoryMerkleTree.referenceRoot(leaves: leaves))
        #expect(throws: InMemoryMerkleTree.MissingNode.self) { try tree.node(level: 6, index: 1) }
    }
}
