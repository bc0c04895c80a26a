import AuditCore
import AuditCrypto
import AuditLedger
import AuditTesting
import Testing

/// A million-leaf tree built one append at a time, the way the store grows: roots and
/// proofs agree with the RFC recursion, verify, and stay within the read bounds.
@Suite struct MerkleLargeTreeTests {
    static let size = 1_000_000

    /// Synthetic leaf hash of entry `index`: SHA-256 of its 8-byte little-endian index.
    static func leafHash(_ index: Int) -> Digest {
        withUnsafeBytes(of: UInt64(index).littleEndian) { SHA256.hash($0) }
    }

    @Test func millionLeafTree() throws {
        let clock = ContinuousClock()
        let leaves = (0..<Self.size).map(Self.leafHash)
        let tree = InMemoryMerkleTree()
        let buildTime = try clock.measure {
            for leaf in leaves { try tree.append(leafHash: leaf) }
        }
        #expect(tree.size == Self.size)

        let root = try tree.root()
        #expect(root == InMemoryMerkleTree.referenceRoot(leaves: leaves))

        let counter = CountingNodeSource(tree, treeSize: Self.size)
        let bound = Self.size.nonzeroBitCount + Self.size.floorLog2  // 7 + 19 = 26
        for index in [0, 1, 524_287, 524_288, 999_998, 999_999, 123_457] {
            counter.reads = 0
            let proof = try MerkleTree.inclusionProof(index: index, size: Self.size, source: counter)
            #expect(counter.reads <= bound - 1, "leaf \(index)")
            try MerkleVerifier.verifyInclusion(leafHash: leaves[index], index: index, size: Self.size,
                                               proof: proof, root: root)
            #expect(throws: MerkleProofError.self) {
                try MerkleVerifier.verifyInclusion(leafHash: leaves[index ^ 1], index: index, size: Self.size,
                                                   proof: proof, root: root)
            }
        }
        for oldSize in [1, 2, 3, 524_288, 524_289, 999_999, 777_777] {
            counter.reads = 0
            let proof = try MerkleTree.consistencyProof(from: oldSize, to: Self.size, source: counter)
            #expect(counter.reads <= bound, "\(oldSize) -> \(Self.size)")
            let oldRoot = try tree.root(size: oldSize)
            try MerkleVerifier.verifyConsistency(oldSize: oldSize, newSize: Self.size,
                                                 oldRoot: oldRoot, newRoot: root, proof: proof)
            #expect(throws: MerkleProofError.self) {
                try MerkleVerifier.verifyConsistency(oldSize: oldSize, newSize: Self.size,
                                                     oldRoot: root, newRoot: oldRoot, proof: proof)
            }
        }
        // One old root cross-checked against the RFC recursion too.
        #expect(try tree.root(size: 777_777) == InMemoryMerkleTree.referenceRoot(leaves: Array(leaves[..<777_777])))

        // Cost of one proof from the in-memory source (debug build, averaged).
        let runs = 2_000
        let inclusionTime = try clock.measure {
            for i in 0..<runs { _ = try MerkleTree.inclusionProof(index: (i &* 7919) % Self.size, size: Self.size, source: tree) }
        }
        let consistencyTime = try clock.measure {
            for i in 0..<runs { _ = try MerkleTree.consistencyProof(from: 1 + (i &* 7919) % (Self.size - 1), to: Self.size, source: tree) }
        }
        print("MerkleLargeTree: appended \(Self.size) leaves in \(buildTime); "
              + "one inclusion proof \(inclusionTime / runs), one consistency proof \(consistencyTime / runs)")
    }
}
