import AuditCore
import AuditLedger
import AuditTesting
import Testing

/// No altered proof, root, leaf, index or size verifies: every one-bit change of every
/// proof element, root and leaf hash, for every (index, size) and (old, new) with
/// size <= 16 and for edge positions of larger sizes around powers of two.
@Suite struct MerkleTamperTests {
    static let exhaustiveLimit = 16
    static let largerSizes = [17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255, 256, 257]
    static let leaves = MerkleFixtures.leafHashes(260)

    /// (index, size) pairs: all of them up to 16, edge indices beyond.
    static var inclusionCases: [(index: Int, size: Int)] {
        var cases: [(index: Int, size: Int)] = []
        for size in 1...exhaustiveLimit { for index in 0..<size { cases.append((index, size)) } }
        for size in largerSizes {
            for index in Set([0, 1, size / 2 - 1, size / 2, size - 2, size - 1]) { cases.append((index, size)) }
        }
        return cases
    }

    /// (old, new) pairs with 0 < old < new: all of them up to 16, edge old sizes beyond.
    static var consistencyCases: [(oldSize: Int, newSize: Int)] {
        var cases: [(oldSize: Int, newSize: Int)] = []
        for newSize in 2...exhaustiveLimit { for oldSize in 1..<newSize { cases.append((oldSize, newSize)) } }
        for newSize in largerSizes {
            for oldSize in Set([1, 2, 3, newSize / 2, newSize / 2 + 1, newSize - 1]) { cases.append((oldSize, newSize)) }
        }
        return cases
    }

    static func rejects(_ body: () throws(MerkleProofError) -> Void) -> Bool {
        do { try body() } catch { return true }
        return false
    }

    @Test func alteredInclusionProofsAreRejected() throws {
        let tree = try InMemoryMerkleTree(leafHashes: Self.leaves)
        let roots = try (0...Self.leaves.count).map { try tree.root(size: $0) }
        var accepted: [String] = []
        var probes = 0
        func mustReject(_ what: @autoclosure () -> String, leafHash: Digest, index: Int, size: Int,
                        proof: [Digest], root: Digest) {
            probes += 1
            if !Self.rejects({ () throws(MerkleProofError) in
                try MerkleVerifier.verifyInclusion(leafHash: leafHash, index: index, size: size, proof: proof, root: root)
            }) { accepted.append(what()) }
        }
        for (index, size) in Self.inclusionCases {
            let proof = try MerkleTree.inclusionProof(index: index, size: size, source: tree)
            let leaf = Self.leaves[index], root = roots[size]
            try MerkleVerifier.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: root)
            let at = "leaf \(index) of \(size)"
            for bit in 0..<256 {
                for i in proof.indices {
                    var altered = proof
                    altered[i] = MerkleFixtures.flipping(proof[i], bit: bit)
                    mustReject("\(at): proof[\(i)] bit \(bit)", leafHash: leaf, index: index, size: size, proof: altered, root: root)
                }
                mustReject("\(at): root bit \(bit)", leafHash: leaf, index: index, size: size, proof: proof,
                           root: MerkleFixtures.flipping(root, bit: bit))
                mustReject("\(at): leaf bit \(bit)", leafHash: MerkleFixtures.flipping(leaf, bit: bit),
                           index: index, size: size, proof: proof, root: root)
            }
            for other in -1...size where other != index {
                mustReject("\(at): index \(other)", leafHash: leaf, index: other, size: size, proof: proof, root: root)
            }
            // Another size, with that size's genuine root (as a checkpoint would give it).
            for other in 0...(size + 3) where other != size {
                mustReject("\(at): size \(other)", leafHash: leaf, index: index, size: other, proof: proof, root: roots[other])
            }
            for count in 0..<proof.count {
                mustReject("\(at): first \(count) elements", leafHash: leaf, index: index, size: size,
                           proof: Array(proof.prefix(count)), root: root)
            }
            for i in proof.indices {
                var shorter = proof
                shorter.remove(at: i)
                mustReject("\(at): element \(i) removed", leafHash: leaf, index: index, size: size, proof: shorter, root: root)
            }
            for extra in [Digest.zero, root, leaf] {
                mustReject("\(at): extended", leafHash: leaf, index: index, size: size, proof: proof + [extra], root: root)
                mustReject("\(at): prefixed", leafHash: leaf, index: index, size: size, proof: [extra] + proof, root: root)
            }
            for probe in TamperProbes.inclusion(index: index, size: size, proof: proof, root: root,
                                                leafHash: leaf, sameRootSizeChanges: false) {
                mustReject("\(at): \(probe.name)", leafHash: probe.leafHash, index: probe.index, size: probe.size,
                           proof: probe.proof, root: probe.root)
            }
        }
        #expect(accepted.isEmpty, "accepted: \(accepted.prefix(20))")
        #expect(probes > 200_000)
    }

    @Test func alteredConsistencyProofsAreRejected() throws {
        let tree = try InMemoryMerkleTree(leafHashes: Self.leaves)
        let roots = try (0...Self.leaves.count).map { try tree.root(size: $0) }
        var accepted: [String] = []
        var probes = 0
        func mustReject(_ what: @autoclosure () -> String, oldSize: Int, newSize: Int,
                        oldRoot: Digest, newRoot: Digest, proof: [Digest]) {
            probes += 1
            if !Self.rejects({ () throws(MerkleProofError) in
                try MerkleVerifier.verifyConsistency(oldSize: oldSize, newSize: newSize,
                                                     oldRoot: oldRoot, newRoot: newRoot, proof: proof)
            }) { accepted.append(what()) }
        }
        for (oldSize, newSize) in Self.consistencyCases {
            let proof = try MerkleTree.consistencyProof(from: oldSize, to: newSize, source: tree)
            let oldRoot = roots[oldSize], newRoot = roots[newSize]
            try MerkleVerifier.verifyConsistency(oldSize: oldSize, newSize: newSize,
                                                 oldRoot: oldRoot, newRoot: newRoot, proof: proof)
            let at = "\(oldSize) -> \(newSize)"
            for bit in 0..<256 {
                for i in proof.indices {
                    var altered = proof
                    altered[i] = MerkleFixtures.flipping(proof[i], bit: bit)
                    mustReject("\(at): proof[\(i)] bit \(bit)", oldSize: oldSize, newSize: newSize,
                               oldRoot: oldRoot, newRoot: newRoot, proof: altered)
                }
                mustReject("\(at): old root bit \(bit)", oldSize: oldSize, newSize: newSize,
                           oldRoot: MerkleFixtures.flipping(oldRoot, bit: bit), newRoot: newRoot, proof: proof)
                mustReject("\(at): new root bit \(bit)", oldSize: oldSize, newSize: newSize,
                           oldRoot: oldRoot, newRoot: MerkleFixtures.flipping(newRoot, bit: bit), proof: proof)
            }
            // Other sizes, each with its genuine root.
            for other in 0...newSize where other != oldSize {
                mustReject("\(at): old size \(other)", oldSize: other, newSize: newSize,
                           oldRoot: roots[other], newRoot: newRoot, proof: proof)
            }
            for other in 0...(newSize + 3) where other != newSize {
                mustReject("\(at): new size \(other)", oldSize: oldSize, newSize: other,
                           oldRoot: oldRoot, newRoot: roots[other], proof: proof)
            }
            for count in 0..<proof.count {
                mustReject("\(at): first \(count) elements", oldSize: oldSize, newSize: newSize,
                           oldRoot: oldRoot, newRoot: newRoot, proof: Array(proof.prefix(count)))
            }
            for i in proof.indices {
                var shorter = proof
                shorter.remove(at: i)
                mustReject("\(at): element \(i) removed", oldSize: oldSize, newSize: newSize,
                           oldRoot: oldRoot, newRoot: newRoot, proof: shorter)
            }
            for probe in TamperProbes.consistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot,
                                                  newRoot: newRoot, proof: proof, sameRootSizeChanges: false) {
                mustReject("\(at): \(probe.name)", oldSize: probe.oldSize, newSize: probe.newSize,
                           oldRoot: probe.oldRoot, newRoot: probe.newRoot, proof: probe.proof)
            }
        }
        #expect(accepted.isEmpty, "accepted: \(accepted.prefix(20))")
        #expect(probes > 200_000)
    }
}
