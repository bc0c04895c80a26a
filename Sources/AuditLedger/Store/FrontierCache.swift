import AuditCore

/// The newest node the writer stored at each level of the tree. Appends and the checkpoint
/// root after them read almost only these (the right edge of the tree), so keeping them in
/// memory turns an append's Merkle work into pure hashing. Anything else, or anything after
/// another process appended, falls through to the database.
final class FrontierCache: @unchecked Sendable {
    private var newest: [Int: (index: Int, hash: Digest)] = [:]
    private var size = -1

    /// A node source for a transaction that starts at tree size `size`.
    func source(fallback: some MerkleNodeSource, size: Int) -> FrontierNodeSource {
        if size != self.size { newest = [:] } // someone else appended, or first use
        return FrontierNodeSource(cache: self, fallback: fallback)
    }

    func reset() {
        newest = [:]
        size = -1
    }

    fileprivate func lookup(level: Int, index: Int) -> Digest? {
        guard let n = newest[level], n.index == index else { return nil }
        return n.hash
    }

    fileprivate func remember(level: Int, index: Int, hash: Digest) {
        newest[level] = (index, hash)
        if level == 0 { size = index + 1 }
    }
}

struct FrontierNodeSource: MerkleNodeSource {
    let cache: FrontierCache
    let fallback: any MerkleNodeSource

    func node(level: Int, index: Int) throws -> Digest {
        if let hit = cache.lookup(level: level, index: index) { return hit }
        return try fallback.node(level: level, index: index)
    }

    func remember(level: Int, index: Int, hash: Digest) {
        cache.remember(level: level, index: index, hash: hash)
    }
}
