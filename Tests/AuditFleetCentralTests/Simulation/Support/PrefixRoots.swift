import AuditCore
import AuditLedger

/// RFC 9162 roots of every prefix of a list of leaf hashes, computed independently of the
/// central's code (a binary-counter stack, folded right to left): what an auditor recomputes
/// from stored leaf hashes to check the roots a log signed.
struct PrefixRoots {
    private var stack: [(height: Int, hash: Digest)] = []
    private(set) var size = 0

    mutating func append(_ leaf: Digest) {
        var node = (height: 0, hash: leaf)
        while let top = stack.last, top.height == node.height {
            stack.removeLast()
            node = (node.height + 1, MerkleHash.node(top.hash, node.hash))
        }
        stack.append(node)
        size += 1
    }

    /// MTH of the leaves appended so far.
    var root: Digest {
        guard var folded = stack.last?.hash else { return MerkleHash.emptyRoot }
        for node in stack.dropLast().reversed() { folded = MerkleHash.node(node.hash, folded) }
        return folded
    }

    /// MTH of `leaves`.
    static func root(of leaves: [Digest]) -> Digest {
        var roots = PrefixRoots()
        for leaf in leaves { roots.append(leaf) }
        return roots.root
    }
}
