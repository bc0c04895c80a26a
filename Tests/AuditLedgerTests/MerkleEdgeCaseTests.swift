import AuditCore
import AuditLedger
import AuditTesting
import Testing

/// The edge cases RFC 9162 §2.1.3.2 and §2.1.4.2 spell out, the ones around them it leaves
/// to the implementation, and hostile sizes.
@Suite struct MerkleEdgeCaseTests {
    static let leaves = MerkleFixtures.leafHashes(8)

    static func error(_ body: () throws(MerkleProofError) -> Void) -> MerkleProofError? {
        do { try body() } catch { return error }
        return nil
    }

    @Test func singleLeafTreeHasEmptyProofAndLeafRoot() throws {
        let tree = try InMemoryMerkleTree(leafHashes: [Self.leaves[0]])
        #expect(try tree.root() == Self.leaves[0])
        #expect(try MerkleTree.inclusionProof(index: 0, size: 1, source: tree).isEmpty)
        try MerkleVerifier.verifyInclusion(leafHash: Self.leaves[0], index: 0, size: 1, proof: [], root: Self.leaves[0])
        #expect(Self.error { () throws(MerkleProofError) in
            try MerkleVerifier.verifyInclusion(leafHash: Self.leaves[1], index: 0, size: 1, proof: [], root: Self.leaves[0])
        } == .rootMismatch(computed: Self.leaves[1], expected: Self.leaves[0]))
    }

    /// §2.1.3.2 step 1: leaf_index >= tree_size fails; so do negative indices and sizes.
    @Test(arguments: [(0, 0), (1, 0), (1, 1), (8, 8), (9, 8), (-1, 8), (Int.min, 8)])
    func inclusionIndexOutOfRange(index: Int, size: Int) throws {
        let tree = try InMemoryMerkleTree(leafHashes: Self.leaves)
        let error = Self.error { () throws(MerkleProofError) in
            _ = try MerkleVerifier.rootFromInclusionProof(leafHash: Self.leaves[0], index: index, size: size, proof: [])
        }
        #expect(error == .leafIndexOutOfRange(index: index, size: size))
        #expect(error?.isMalformed == true)
        #expect(throws: MerkleProofError.leafIndexOutOfRange(index: index, size: size)) {
            try MerkleTree.inclusionProof(index: index, size: size, source: tree)
        }
    }

    @Test(arguments: [-1, Int.min, Limits.maxMerkleTreeSize + 1, Int.max])
    func hostileSizesAreRejectedEverywhere(size: Int) throws {
        let source = SyntheticNodeSource()
        let digest = MerkleHash.emptyRoot
        let expected = MerkleProofError.treeSizeOutOfRange(size: size)
        #expect(throws: expected) { try MerkleTree.root(size: size, source: source) }
        #expect(throws: expected) { try MerkleTree.inclusionProof(index: 0, size: size, source: source) }
        #expect(throws: expected) { try MerkleTree.consistencyProof(from: 1, to: size, source: source) }
        #expect(throws: expected) { try MerkleTree.consistencyProof(from: size, to: 5, source: source) }
        #expect(Self.error { () throws(MerkleProofError) in
            try MerkleVerifier.verifyInclusion(leafHash: digest, index: 0, size: size, proof: [], root: digest)
        } == expected)
        #expect(Self.error { () throws(MerkleProofError) in
            try MerkleVerifier.verifyConsistency(oldSize: 1, newSize: size, oldRoot: digest, newRoot: digest, proof: [digest])
        } == expected)
        #expect(Self.error { () throws(MerkleProofError) in
            try MerkleVerifier.verifyConsistency(oldSize: size, newSize: 3, oldRoot: digest, newRoot: digest, proof: [digest])
        } == expected)
    }

    @Test func completedNodesRejectsImpossibleIndices() throws {
        let source = SyntheticNodeSource()
        for index in [-1, Int.min, Limits.maxMerkleTreeSize, Int.max] {
            #expect(throws: MerkleProofError.self) {
                try MerkleTree.completedNodes(appendingLeafAt: index, leafHash: .zero, source: source)
            }
        }
        // The last index the limit allows completes all 62 levels above it.
        let last = try MerkleTree.completedNodes(appendingLeafAt: Limits.maxMerkleTreeSize - 1,
                                                 leafHash: .zero, source: source)
        #expect(last.map(\.level) == Array(1...62))
        #expect(last.last?.index == 0)
    }

    /// Trees of up to 2^62 leaves (all leaves equal, so the tree is cheap but genuine):
    /// proofs are generated and verified without overflow, and with the expected length.
    @Test(arguments: [Limits.maxMerkleTreeSize, Limits.maxMerkleTreeSize - 1, (1 << 61) + 1, 3 << 60])
    func proofsAtHostileButLegalSizes(size: Int) throws {
        let source = UniformTreeSource()
        let root = try MerkleTree.root(size: size, source: source)
        for index in [0, 1, size / 2, size - 2, size - 1] {
            let proof = try MerkleTree.inclusionProof(index: index, size: size, source: source)
            #expect(proof.count <= 62)
            try MerkleVerifier.verifyInclusion(leafHash: source.leafHash, index: index, size: size, proof: proof, root: root)
            #expect(Self.error { () throws(MerkleProofError) in
                try MerkleVerifier.verifyInclusion(leafHash: source.leafHash, index: index, size: size,
                                                   proof: proof + [root], root: root)
            } == .proofLengthMismatch(expected: proof.count, actual: proof.count + 1))
        }
        for oldSize in [1, 2, 3, 1 << 40, size / 2 + 1, size - 1] {
            let oldRoot = try MerkleTree.root(size: oldSize, source: source)
            let proof = try MerkleTree.consistencyProof(from: oldSize, to: size, source: source)
            #expect(proof.count <= 63)
            try MerkleVerifier.verifyConsistency(oldSize: oldSize, newSize: size, oldRoot: oldRoot, newRoot: root, proof: proof)
        }
    }

    @Test func proofLengthMismatchNamesTheExpectedLength() throws {
        let tree = try InMemoryMerkleTree(leafHashes: Self.leaves)
        let proof = try MerkleTree.inclusionProof(index: 5, size: 7, source: tree)
        let root = try tree.root(size: 7)
        #expect(proof.count == 3)
        let tooShort = Self.error { () throws(MerkleProofError) in
            try MerkleVerifier.verifyInclusion(leafHash: Self.leaves[5], index: 5, size: 7, proof: Array(proof.dropLast()), root: root)
        }
        #expect(tooShort == .proofLengthMismatch(expected: 3, actual: 2))
        let tooLong = Self.error { () throws(MerkleProofError) in
            try MerkleVerifier.verifyInclusion(leafHash: Self.leaves[5], index: 5, size: 7, proof: proof + [root], root: root)
        }
        #expect(tooLong == .proofLengthMismatch(expected: 3, actual: 4))
        #expect(tooLong?.description == "Merkle proof has 4 hashes, but a proof for these sizes has exactly 3")

        let consistency = try MerkleTree.consistencyProof(from: 3, to: 7, source: tree)
        let oldRoot = try tree.root(size: 3)
        #expect(Self.error { () throws(MerkleProofError) in
            try MerkleVerifier.verifyConsistency(oldSize: 3, newSize: 7, oldRoot: oldRoot, newRoot: root, proof: [])
        } == .proofLengthMismatch(expected: consistency.count, actual: 0))
        #expect(Self.error { () throws(MerkleProofError) in
            try MerkleVerifier.verifyConsistency(oldSize: 3, newSize: 7, oldRoot: oldRoot, newRoot: root,
                                                 proof: consistency + [root])
        } == .proofLengthMismatch(expected: consistency.count, actual: consistency.count + 1))
    }

    /// first == second: the proof is empty and the roots must be equal.
    @Test func consistencyOfEqualSizes() throws {
        let tree = try InMemoryMerkleTree(leafHashes: Self.leaves)
        for size in 1...8 {
            let root = try tree.root(size: size)
            #expect(try MerkleTree.consistencyProof(from: size, to: size, source: tree).isEmpty)
            try MerkleVerifier.verifyConsistency(oldSize: size, newSize: size, oldRoot: root, newRoot: root, proof: [])
            let other = try tree.root(size: size % 8 + 1)
            let mismatch = Self.error { () throws(MerkleProofError) in
                try MerkleVerifier.verifyConsistency(oldSize: size, newSize: size, oldRoot: root, newRoot: other, proof: [])
            }
            #expect(mismatch == .newRootMismatch(computed: root, expected: other))
            #expect(mismatch?.isMalformed == false)
            #expect(Self.error { () throws(MerkleProofError) in
                try MerkleVerifier.verifyConsistency(oldSize: size, newSize: size, oldRoot: root, newRoot: root, proof: [root])
            } == .proofLengthMismatch(expected: 0, actual: 1))
        }
    }

    /// first == 0: the empty tree is a prefix of every tree, but its root must be MTH({}).
    @Test func consistencyFromTheEmptyTree() throws {
        let tree = try InMemoryMerkleTree(leafHashes: Self.leaves)
        let empty = MerkleHash.emptyRoot
        let root = try tree.root()
        try MerkleVerifier.verifyConsistency(oldSize: 0, newSize: 8, oldRoot: empty, newRoot: root, proof: [])
        try MerkleVerifier.verifyConsistency(oldSize: 0, newSize: 0, oldRoot: empty, newRoot: empty, proof: [])
        #expect(Self.error { () throws(MerkleProofError) in
            try MerkleVerifier.verifyConsistency(oldSize: 0, newSize: 8, oldRoot: root, newRoot: root, proof: [])
        } == .oldRootMismatch(computed: empty, expected: root))
        #expect(Self.error { () throws(MerkleProofError) in
            try MerkleVerifier.verifyConsistency(oldSize: 0, newSize: 0, oldRoot: empty, newRoot: root, proof: [])
        } == .newRootMismatch(computed: empty, expected: root))
        #expect(Self.error { () throws(MerkleProofError) in
            try MerkleVerifier.verifyConsistency(oldSize: 0, newSize: 8, oldRoot: empty, newRoot: root, proof: [root])
        } == .proofLengthMismatch(expected: 0, actual: 1))
    }

    @Test func shrinkingLogIsMalformed() throws {
        let tree = try InMemoryMerkleTree(leafHashes: Self.leaves)
        #expect(throws: MerkleProofError.sizesOutOfOrder(oldSize: 5, newSize: 4)) {
            try MerkleTree.consistencyProof(from: 5, to: 4, source: tree)
        }
        let root = try tree.root()
        let error = Self.error { () throws(MerkleProofError) in
            try MerkleVerifier.verifyConsistency(oldSize: 8, newSize: 7, oldRoot: root, newRoot: root, proof: [root])
        }
        #expect(error == .sizesOutOfOrder(oldSize: 8, newSize: 7))
        #expect(error?.isMalformed == true)
    }

    /// A store that is missing a node surfaces its own error rather than a wrong proof.
    @Test func missingNodesPropagateTheSourceError() throws {
        let tree = try InMemoryMerkleTree(leafHashes: Array(Self.leaves.prefix(5)))
        #expect(throws: InMemoryMerkleTree.MissingNode.self) { try MerkleTree.root(size: 6, source: tree) }
        #expect(throws: InMemoryMerkleTree.MissingNode.self) { try MerkleTree.inclusionProof(index: 0, size: 8, source: tree) }
    }
}
