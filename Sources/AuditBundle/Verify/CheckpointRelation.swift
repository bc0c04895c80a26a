import AuditCore
import AuditLedger

/// Relates a checkpoint that verified (signed by the trusted log key) to what an edge has
/// seen, for verify-bundle (`approval.consistency`) and `auditctl edge sync` alike.
///
/// A checkpoint is accepted when it is one the edge knows (same size, same root), or it
/// extends the last one the edge saw (an RFC 9162 consistency proof from exactly that size
/// is carried), or it is older but was proven to the edge before (a later bundle or a sync
/// file carried a consistency proof from it). Every consistency step that names its
/// `fromRoot` is verified and the roots it proves become known; a proven root that differs
/// from one the edge saw for the same size is a fork. Anything else could be a split view.
public enum CheckpointRelation {
    /// The checkpoints `checkpoint` proves (itself first, then each verified prefix), or why
    /// it cannot be accepted by an edge that saw `seen`.
    public static func relate(_ checkpoint: CheckpointBody, steps: [ApprovalProof.ConsistencyStep],
                              seen: EdgeState.CheckpointMemory) throws(ApprovalProofFailure) -> [EdgeState.SeenCheckpoint] {
        let size = checkpoint.size
        var proven = [EdgeState.SeenCheckpoint(size: size, root: checkpoint.root)]
        for step in steps {
            guard let fromRoot = step.fromRoot else { continue }
            try verify(step, fromRoot: fromRoot, to: checkpoint)
            proven.append(.init(size: step.fromSize, root: fromRoot))
        }
        for p in proven {
            if let known = seen.known(size: p.size), known.root != p.root {
                throw .inconsistent("checkpoint for size \(p.size) has a different root than the one this edge saw: the log may be forked")
            }
        }
        guard let last = seen.last, size != last.size else { return proven }
        if size < last.size {
            guard seen.known(size: size) != nil else {
                throw .inconsistent("checkpoint (size \(size)) is older than the last one this edge saw (size \(last.size)) and was never proven consistent with it")
            }
            return proven
        }
        guard let step = steps.first(where: { $0.fromSize == last.size }) else {
            throw .inconsistent("no consistency proof from size \(last.size) (the last checkpoint this edge saw) to \(size)")
        }
        if step.fromRoot == nil { try verify(step, fromRoot: last.root, to: checkpoint) }
        return proven
    }

    private static func verify(_ step: ApprovalProof.ConsistencyStep, fromRoot: Digest,
                               to checkpoint: CheckpointBody) throws(ApprovalProofFailure) {
        guard step.fromSize <= checkpoint.size else {
            throw .inconsistent("consistency proof from size \(step.fromSize) is beyond the checkpoint's size \(checkpoint.size)")
        }
        if step.fromSize == checkpoint.size {
            guard fromRoot == checkpoint.root else {
                throw .inconsistent("two roots for tree size \(step.fromSize): the log may be forked")
            }
            return
        }
        do {
            try MerkleVerifier.verifyConsistency(oldSize: step.fromSize, newSize: checkpoint.size, oldRoot: fromRoot,
                                                 newRoot: checkpoint.root, proof: step.path)
        } catch {
            throw .inconsistent("checkpoint size \(checkpoint.size) does not extend the tree of size \(step.fromSize) (\(fromRoot.prefixed)): \(error.description)")
        }
    }
}
