import AuditCore
import AuditLedger
import Foundation

/// Checkpoints and consistency proofs for edges, taken from the ledger: what `bundle
/// create`, `bundle refresh` and `edge sync-file` carry so an air-gapped edge can relate a
/// checkpoint to the one it last saw (`CheckpointRelation`).
extension LedgerBundleSources {
    /// Consistency proofs into the tree of `anchor` entries from the sizes
    /// `ConsistencyCandidates` picks, each naming its `fromRoot`.
    public static func consistencySteps(store: LedgerStore, anchor: Int, extra: [Int] = [],
                                        limit: Int = Limits.maxApprovalConsistencyProofs) throws(Failure) -> [ApprovalProof.ConsistencyStep] {
        do {
            let approvals = try store.entries(EntryFilter(kind: EntryKind.changeApproved)).map(\.seq)
            let sizes = ConsistencyCandidates.sizes(
                anchor: anchor, approvalSeqs: approvals, checkpointSizes: try store.checkpoints().map(\.size), extra: extra,
                fromApprovals: Limits.consistencyFromApprovals, fromRecent: Limits.consistencyFromRecentCheckpoints, limit: limit)
            return try sizes.map { size throws(LedgerError) in
                let proof = try store.consistencyProof(from: size, to: anchor)
                return ApprovalProof.ConsistencyStep(fromSize: size, fromRoot: proof.fromRoot, path: proof.path)
            }
        } catch let e as LedgerError {
            throw .ledger(e)
        } catch {
            throw .notReady("\(error)")
        }
    }

    /// `proof` re-anchored at the newest stored checkpoint: same entry bytes, a new inclusion
    /// proof, consistency proofs from its old anchor and the usual candidates. Refuses an
    /// entry this ledger does not hold at that seq, or an old anchor whose root is not this
    /// ledger's root at that size (a fork, or a bundle from another ledger).
    public static func reanchor(_ proof: ApprovalProof, anchoredAt old: CheckpointBody,
                                store: LedgerStore) throws(Failure) -> ApprovalProof {
        do {
            guard let newest = try store.latestCheckpoint() else { throw Failure.notReady("the ledger has no signed checkpoint yet") }
            let seq = proof.entry.seq
            guard seq < newest.size, try store.entry(seq: seq).canonicalBytes == proof.entryBytes else {
                throw Failure.notReady("the bundle's approval (entry \(seq)) is not this ledger's entry \(seq)")
            }
            guard old.size <= newest.size, try store.root(size: old.size) == old.root else {
                throw Failure.notReady("the bundle's checkpoint (size \(old.size)) is not consistent with this ledger: it comes from a fork or another ledger")
            }
            let inclusion = try store.inclusionProof(seq: seq, size: newest.size)
            let steps = try consistencySteps(store: store, anchor: newest.size, extra: [old.size])
            return proof.reanchored(treeSize: newest.size, inclusionPath: inclusion.path, checkpoint: newest.note, consistency: steps)
        } catch let e as Failure {
            throw e
        } catch let e as LedgerError {
            throw .ledger(e)
        } catch {
            throw .notReady("\(error)")
        }
    }

    /// A sync file for air-gapped edges: the newest stored checkpoint with consistency proofs
    /// from the candidates and from `fromSizes` (edges known to stand there).
    public static func syncFile(store: LedgerStore, fromSizes: [Int] = []) throws(Failure) -> EdgeSyncFile {
        do {
            guard let newest = try store.latestCheckpoint() else { throw Failure.notReady("the ledger has no signed checkpoint yet (`auditctl checkpoint`)") }
            if let bad = fromSizes.first(where: { $0 < 1 || $0 > newest.size }) {
                throw Failure.notReady("--from-size \(bad) is not between 1 and the newest checkpoint's size \(newest.size)")
            }
            let steps = try consistencySteps(store: store, anchor: newest.size, extra: fromSizes,
                                             limit: Limits.maxEdgeSyncConsistencyProofs)
            return EdgeSyncFile(checkpoint: newest.note, consistency: steps)
        } catch let e as Failure {
            throw e
        } catch let e as LedgerError {
            throw .ledger(e)
        } catch {
            throw .notReady("\(error)")
        }
    }
}
