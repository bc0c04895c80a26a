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
/// checkpoint signature by the trust root's log key. Consistency with what an edge saw is
/// `CheckpointRelation`'s job.
public enum ApprovalProofVerifier {
    /// The verified checkpoint for `proof`, or why not.
    public static func verify(_ proof: ApprovalProof, log: TrustRoot.Log) throws(ApprovalProofFailure) -> CheckpointBody {
        let body = try openCheckpoint(proof.checkpoint, log: log)
        guard proof.treeSize == body.size else { throw .treeSizeMismatch(proof: proof.treeSize, checkpoint: body.size) }
        do {
            try MerkleVerifier.verifyInclusion(leafHash: MerkleHash.leaf(proof.entryBytes), index: proof.entry.seq,
                                               size: body.size, proof: proof.inclusionPath, root: body.root)
        } catch { throw .notIncluded(error.description) }
        guard proof.entry.kind == EntryKind.changeApproved else { throw .notAnApproval(kind: proof.entry.kind) }
        return body
    }

    /// The body of a C2SP signed note, if the trust root's log key signed it for its origin.
    public static func openCheckpoint(_ note: String, log: TrustRoot.Log) throws(ApprovalProofFailure) -> CheckpointBody {
        let body: CheckpointBody
        do { body = try NoteCheckpointVerifier(key: log.key).open(note: note) } catch {
            throw .checkpointNotTrusted("\(error)")
        }
        guard body.origin == log.origin else { throw .wrongOrigin(expected: log.origin, found: body.origin) }
        return body
    }
}
