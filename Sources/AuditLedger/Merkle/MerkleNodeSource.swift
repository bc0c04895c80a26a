import AuditCore

/// Where `MerkleTree` reads hashes from: the SQLite store in production, an
/// `InMemoryMerkleTree` in tests.
///
/// Only *perfect, aligned* subtrees are ever asked for:
/// `node(level: L, index: i)` is MTH of leaves `[i * 2^L, (i + 1) * 2^L)`, and level 0 is
/// the leaf hashes themselves. Such a node never changes once its last leaf is appended,
/// so a store can persist it at append time (see `MerkleTree.completedNodes`) and answer
/// every later request with one indexed read. `MerkleTree` only asks for nodes whose whole
/// leaf range lies inside the tree size it was given.
public protocol MerkleNodeSource {
    func node(level: Int, index: Int) throws -> Digest
}
