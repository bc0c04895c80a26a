import AuditCore
import AuditCrypto
import AuditLedger

/// Why an approval proof was refused. Each maps to its own verify-bundle check.
public enum ApprovalProofFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The checkpoint is not signed by the trusted log key (or not a checkpoint at all):
    /// typically a proof from another log.
    case checkpointNotTrusted(String)
    case wrongOrigin(expected: String, found: String)
    case treeSizeMismatch(proof: Int, checkpoint: Int)
    case notIncluded(String)
    case notAnApproval(kind: String)
    /// The checkpoint does not provably extend the last one this edge saw.
    case inconsistent(String)

    public var description: String {
        switch self {
        case .checkpointNotTrusted(let m): return "checkpoint not signed by the trusted log key: \(m)"
        case .wrongOrigin(let e, let f): return "checkpoint is from log '\(f)', the trust root names '\(e)'"
        case .treeSizeMismatch(let p, let c): return "proof is for tree size \(p) but the checkpoint is for \(c)"
        case .notIncluded(let m): return "entry is not in the checkpointed tree: \(m)"
        case .notAnApproval(let k): return "proof entry is '\(k)', not change.approved"
        case .inconsistent(let m): return m
        }
    }
}

/// Offline verification of an `ApprovalProof`: entry → leaf hash → inclusion proof → root →
/// checkpoint signature by the trust root's log key; then consistency with what this edge saw.
public enum ApprovalProofVerifier {
    /// The verified checkpoint for `proof`, or why not.
    public static func verify(_ proof: ApprovalProof, log: TrustRoot.Log) throws(ApprovalProofFailure) -> CheckpointBody {
        let body: CheckpointBody
        do { body = try NoteCheckpointVerifier(key: log.key).open(note: proof.checkpoint) } catch {
            throw .checkpointNotTrusted("\(error)")
        }
        guard body.origin == log.origin else { throw .wrongOrigin(expected: log.origin, found: body.origin) }
        guard proof.treeSize == body.size else { throw .treeSizeMismatch(proof: proof.treeSize, checkpoint: body.size) }
        do {
            try MerkleVerifier.verifyInclusion(leafHash: MerkleHash.leaf(proof.entryBytes), index: proof.entry.seq,
                                               size: body.size, proof: proof.inclusionPath, root: body.root)
        } catch { throw .notIncluded(error.description) }
        guard proof.entry.kind == EntryKind.changeApproved else { throw .notAnApproval(kind: proof.entry.kind) }
        return body
    }

    /// Succeeds when `checkpoint` is the one the edge last saw, one it saw before (same
    /// size, same root), or an append-only extension of the last one (a consistency proof
    /// from that size is in the bundle). Anything else could be a forked (split-view) log.
    public static func checkConsistency(_ checkpoint: CheckpointBody, proof: ApprovalProof,
                                        seen: EdgeState.CheckpointMemory) throws(ApprovalProofFailure) {
        guard let last = seen.last else { return }
        if checkpoint.size == last.size {
            guard checkpoint.root == last.root else {
                throw .inconsistent("checkpoint for size \(last.size) has a different root than the one this edge saw: the log may be forked")
            }
            return
        }
        if checkpoint.size < last.size {
            if let known = seen.history.first(where: { $0.size == checkpoint.size }) {
                guard known.root == checkpoint.root else {
                    throw .inconsistent("checkpoint for size \(checkpoint.size) differs from the one this edge saw: the log may be forked")
                }
                return
            }
            throw .inconsistent("checkpoint (size \(checkpoint.size)) is older than the last one this edge saw (size \(last.size)) and cannot be related to it")
        }
        guard let step = proof.consistency.first(where: { $0.fromSize == last.size }) else {
            throw .inconsistent("no consistency proof from size \(last.size) (the last checkpoint this edge saw) to \(checkpoint.size)")
        }
        do {
            try MerkleVerifier.verifyConsistency(oldSize: last.size, newSize: checkpoint.size, oldRoot: last.root,
                                                 newRoot: checkpoint.root, proof: step.path)
        } catch {
            throw .inconsistent("checkpoint does not extend the last one this edge saw (size \(last.size)): \(error.description)")
        }
    }
}
