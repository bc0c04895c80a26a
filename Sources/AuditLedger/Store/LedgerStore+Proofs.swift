import AuditCore

/// An RFC 9162 inclusion proof for one entry in a tree of `size` entries.
public struct InclusionProof: Sendable, Equatable {
    public let seq: Int
    public let size: Int
    public let leafHash: Digest
    public let path: [Digest]
    public let root: Digest
}

/// An RFC 9162 consistency proof between two tree sizes.
public struct ConsistencyProof: Sendable, Equatable {
    public let fromSize: Int
    public let toSize: Int
    public let fromRoot: Digest
    public let toRoot: Digest
    public let path: [Digest]
}

/// Proofs and roots read the tree through `proofNodes` (`ProofNodeMemo`): the nodes every
/// proof of the current file shares come from memory, the rest from the database on a raw
/// reader connection (`RawReadPool`). A caller
/// that has just read the file's version (a server's per-request check) passes it as
/// `version`, which saves asking again; otherwise it is read first.
extension LedgerStore {
    /// Root hash of the first `size` entries (RFC 9162 MTH).
    public func root(size: Int? = nil, version known: LedgerVersion? = nil) throws(LedgerError) -> Digest {
        let version = try version(or: known)
        return try rawReads.read { c in
            let n = try Self.size(c)
            let s = size ?? n
            guard s >= 0, s <= n else { throw LedgerError.invalidRange("size \(s) is beyond the ledger's \(n) entries") }
            return try MerkleTree.root(size: s, source: proofNodes.source(over: RawNodeSource(connection: c), version: version, size: n))
        }
    }

    public func inclusionProof(seq: Int, size: Int? = nil, version known: LedgerVersion? = nil) throws(LedgerError) -> InclusionProof {
        let version = try version(or: known)
        return try rawReads.read { c in
            let n = try Self.size(c)
            let s = size ?? n
            guard s >= 1, s <= n else { throw LedgerError.invalidRange("size \(s) must be between 1 and the ledger's \(n) entries") }
            guard seq >= 0, seq < s else { throw LedgerError.entryNotFound(seq: seq, size: s) }
            let source = proofNodes.source(over: RawNodeSource(connection: c), version: version, size: n)
            return InclusionProof(
                seq: seq, size: s,
                leafHash: try source.node(level: 0, index: seq),
                path: try MerkleTree.inclusionProof(index: seq, size: s, source: source),
                root: try MerkleTree.root(size: s, source: source))
        }
    }

    public func consistencyProof(from: Int, to: Int? = nil, version known: LedgerVersion? = nil) throws(LedgerError) -> ConsistencyProof {
        let version = try version(or: known)
        return try rawReads.read { c in
            let n = try Self.size(c)
            let t = to ?? n
            guard from >= 1, from <= t, t <= n else {
                throw LedgerError.invalidRange("need 1 <= from (\(from)) <= to (\(t)) <= size (\(n))")
            }
            let source = proofNodes.source(over: RawNodeSource(connection: c), version: version, size: n)
            return ConsistencyProof(
                fromSize: from, toSize: t,
                fromRoot: try MerkleTree.root(size: from, source: source),
                toRoot: try MerkleTree.root(size: t, source: source),
                path: try MerkleTree.consistencyProof(from: from, to: t, source: source))
        }
    }

    private func version(or known: LedgerVersion?) throws(LedgerError) -> LedgerVersion {
        if let known { return known }
        return try version()
    }
}
