import AuditCore
import AuditCrypto
import AuditLedger

/// Altered inputs that must never verify, modelled on the corruption probes of
/// transparency-dev/merkle's verifier tests (wrong index or size, wrong leaf or root,
/// garbage before or after the proof, a flipped bit in each element, a dropped or
/// inserted element).
enum TamperProbes {
    struct Inclusion {
        let name: String, index: Int, size: Int, proof: [Digest], root: Digest, leafHash: Digest
    }

    struct Consistency {
        let name: String, oldSize: Int, newSize: Int, oldRoot: Digest, newRoot: Digest, proof: [Digest]
    }

    static let zero = Digest.zero
    static let unrelated = SHA256.hash("not a node of this tree")

    /// `sameRootSizeChanges` adds size*2 and size/2 against the *original* root. An RFC
    /// 9162 verifier can accept those when both sizes give the proof the same shape (the
    /// root, not the size number, is what binds the tree), so they are only used for the
    /// published vectors, where they are known to be rejected.
    static func inclusion(index: Int, size: Int, proof: [Digest], root: Digest, leafHash: Digest,
                          sameRootSizeChanges: Bool = true) -> [Inclusion] {
        func probe(_ name: String, index: Int = index, size: Int = size, proof: [Digest] = proof,
                   root: Digest = root, leafHash: Digest = leafHash) -> Inclusion {
            Inclusion(name: name, index: index, size: size, proof: proof, root: root, leafHash: leafHash)
        }
        var probes = [
            probe("index - 1", index: index - 1),
            probe("index + 1", index: index + 1),
            probe("index ^ 2", index: index ^ 2),
            probe("wrong leaf", leafHash: unrelated),
            probe("empty-tree root", root: MerkleHash.emptyRoot),
            probe("unrelated root", root: unrelated),
            probe("trailing zero hash", proof: proof + [zero]),
            probe("trailing root", proof: proof + [root]),
            probe("preceding zero hash", proof: [zero] + proof),
            probe("preceding root", proof: [root] + proof),
        ]
        if sameRootSizeChanges {
            probes += [probe("size * 2", size: size * 2), probe("size / 2", size: size / 2)]
        }
        for i in proof.indices {
            var altered = proof
            altered[i] = MerkleFixtures.flipping(altered[i], bit: 3)
            probes.append(probe("proof[\(i)] bit 3 flipped", proof: altered))
        }
        if !proof.isEmpty { probes.append(probe("last element removed", proof: Array(proof.dropLast()))) }
        if proof.count > 1 {
            probes.append(probe("element inserted", proof: [proof[0], unrelated] + proof.dropFirst()))
        }
        return probes
    }

    static func consistency(oldSize: Int, newSize: Int, oldRoot: Digest, newRoot: Digest, proof: [Digest],
                            sameRootSizeChanges: Bool = true) -> [Consistency] {
        func probe(_ name: String, oldSize: Int = oldSize, newSize: Int = newSize, oldRoot: Digest = oldRoot,
                   newRoot: Digest = newRoot, proof: [Digest] = proof) -> Consistency {
            Consistency(name: name, oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: proof)
        }
        var probes = [
            probe("wrong old root", oldRoot: unrelated),
            probe("wrong new root", newRoot: unrelated),
            probe("swapped roots", oldRoot: newRoot, newRoot: oldRoot),
            probe("empty proof", proof: []),
            probe("trailing zero hash", proof: proof + [zero]),
            probe("trailing old root", proof: proof + [oldRoot]),
            probe("trailing new root", proof: proof + [newRoot]),
            probe("preceding zero hash", proof: [zero] + proof),
            probe("preceding old root", proof: [oldRoot] + proof),
            probe("preceding new root", proof: [newRoot] + proof),
        ]
        if let first = proof.first { probes.append(probe("preceding proof[0]", proof: [first] + proof)) }
        if sameRootSizeChanges {
            probes += [
                probe("old size - 1", oldSize: oldSize - 1),
                probe("old size + 1", oldSize: oldSize + 1),
                probe("old size ^ 2", oldSize: oldSize ^ 2),
                probe("new size * 2", newSize: newSize * 2),
                probe("new size / 2", newSize: newSize / 2),
            ]
        }
        if !proof.isEmpty { probes.append(probe("truncated", proof: Array(proof.dropLast()))) }
        for i in proof.indices {
            var altered = proof
            altered[i] = MerkleFixtures.flipping(altered[i], bit: 4)
            probes.append(probe("proof[\(i)] bit 4 flipped", proof: altered))
        }
        return probes
    }
}
