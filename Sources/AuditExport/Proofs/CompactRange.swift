import AuditCore
import AuditLedger

/// The perfect subtree hashes covering leaves [0, size) — one per set bit of `size`,
/// largest first — as an RFC 9162 log appender keeps them. Starting from the hashes of a
/// prefix (`LedgerStore.frontier`) and appending the period's leaf hashes one by one gives
/// the root of every later prefix: this is how an export proves that its entries are
/// exactly leaves `firstSeq...lastSeq` of the signed tree, without the entries before them
/// and in O(log n) memory. `Docs/inspector-guide.md` gives the same algorithm in Python.
public struct CompactRange: Sendable {
    public private(set) var size: Int
    /// Hashes of the perfect subtrees, largest (leftmost) first.
    public private(set) var nodes: [Digest]

    public init(size: Int, nodes: [Digest]) throws(ExportProofError) {
        guard size >= 0, nodes.count == size.nonzeroBitCount else {
            throw .malformed("a compact range of \(size) leaves has \(max(0, size).nonzeroBitCount) hashes, not \(nodes.count)")
        }
        self.size = size
        self.nodes = nodes
    }

    /// Appends one leaf hash: merges equal-sized subtrees from the right, as a binary counter carries.
    public mutating func append(_ leaf: Digest) {
        var hash = leaf
        var position = size
        while position & 1 == 1 {
            hash = MerkleHash.node(nodes.removeLast(), hash)
            position >>= 1
        }
        nodes.append(hash)
        size += 1
    }

    /// RFC 9162 MTH of leaves [0, size): the subtrees folded right to left.
    public var root: Digest {
        guard var folded = nodes.last else { return MerkleHash.emptyRoot }
        for node in nodes.dropLast().reversed() { folded = MerkleHash.node(node, folded) }
        return folded
    }
}

/// A proof file that cannot describe any tree.
public enum ExportProofError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    public var description: String {
        switch self { case .malformed(let m): return m }
    }
}
