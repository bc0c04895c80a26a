import AuditCore
import AuditLedger

/// The compact range of a tree of `size` leaves: one perfect subtree hash per set bit of
/// `size`, largest (leftmost) first, as an RFC 9162 log appender keeps them. Stored with each
/// plant (and the central's own log) so a push extends the tree and yields its root in
/// O(pushed entries) hashing, without reading a single old entry.
struct TreeFrontier: Sendable, Equatable {
    private(set) var size: Int
    /// Largest first.
    private(set) var nodes: [Digest]

    static let empty = TreeFrontier(validSize: 0, nodes: [])

    private init(validSize: Int, nodes: [Digest]) {
        self.size = validSize
        self.nodes = nodes
    }

    /// From the stored form: the hashes concatenated, largest first. Nil when they cannot
    /// describe a tree of `size` leaves (a corrupted row).
    init?(size: Int, encoded: [UInt8]) {
        guard size >= 0, encoded.count == 32 * size.nonzeroBitCount else { return nil }
        var nodes: [Digest] = []
        nodes.reserveCapacity(size.nonzeroBitCount)
        var offset = 0
        while offset < encoded.count {
            guard let d = Digest(bytes: Array(encoded[offset..<offset + 32])) else { return nil }
            nodes.append(d)
            offset += 32
        }
        self.size = size
        self.nodes = nodes
    }

    var encoded: [UInt8] { nodes.flatMap(\.bytes) }

    /// Appends one leaf hash, merging equal-sized subtrees as a binary counter carries, and
    /// reports each perfect subtree it completes (level >= 1, its index at that level).
    mutating func append(_ leaf: Digest, completed: (_ level: Int, _ index: Int, _ hash: Digest) -> Void = { _, _, _ in }) {
        var hash = leaf
        var position = size
        var level = 0
        while position & 1 == 1 {
            hash = MerkleHash.node(nodes.removeLast(), hash)
            position >>= 1
            level += 1
            completed(level, position, hash)
        }
        nodes.append(hash)
        size += 1
    }

    /// RFC 9162 MTH of leaves [0, size): the subtrees folded right to left.
    var root: Digest {
        guard var folded = nodes.last else { return MerkleHash.emptyRoot }
        for node in nodes.dropLast().reversed() { folded = MerkleHash.node(node, folded) }
        return folded
    }
}
