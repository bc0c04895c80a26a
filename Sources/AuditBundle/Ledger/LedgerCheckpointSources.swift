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
            // Edges that took a witnessed bundle or sync file stand at a cosigned checkpoint.
            let cosigned = try store.cosignedSizes(limit: Limits.consistencyFromCosignedCheckpoints)
            let sizes = ConsistencyCandidates.sizes(
                anchor: anchor, approvalSeqs: approvals, checkpointSizes: try store.checkpoints().map(\.size), extra: extra + cosigned,
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

    /// `proof` re-anchored at the newest stored checkpoint (or at the newest cosigned one, with
    /// its cosignatures, when that covers the approval and is not older than the old anchor):
    /// same entry bytes, a new inclusion proof, consistency proofs from its old anchor and the
    /// usual candidates. Refuses an entry this ledger does not hold at that seq, or an old
    /// anchor whose root is not this ledger's root at that size (a fork, or a bundle from
    /// another ledger).
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
            let anchor = try witnessedAnchor(store: store, covering: seq, atLeast: old.size) ?? (checkpoint: newest, note: newest.note)
            let inclusion = try store.inclusionProof(seq: seq, size: anchor.checkpoint.size)
            let steps = try consistencySteps(store: store, anchor: anchor.checkpoint.size,
                                             extra: old.size < anchor.checkpoint.size ? [old.size] : [])
            return proof.reanchored(treeSize: anchor.checkpoint.size, inclusionPath: inclusion.path, checkpoint: anchor.note,
                                    consistency: steps)
        } catch let e as Failure {
            throw e
        } catch let e as LedgerError {
            throw .ledger(e)
        } catch {
            throw .notReady("\(error)")
        }
    }

    /// A sync file for air-gapped edges: the newest stored checkpoint with consistency proofs
    /// from the candidates and from `fromSizes` (edges known to stand there). With witness
    /// cosignatures in the ledger, the newest cosigned checkpoint goes along: as the checkpoint
    /// itself when it is the newest, else as `witnessedCheckpoint` with a proof from its size.
    public static func syncFile(store: LedgerStore, fromSizes: [Int] = []) throws(Failure) -> EdgeSyncFile {
        do {
            guard let newest = try store.latestCheckpoint() else { throw Failure.notReady("the ledger has no signed checkpoint yet (`auditctl checkpoint`)") }
            if let bad = fromSizes.first(where: { $0 < 1 || $0 > newest.size }) {
                throw Failure.notReady("--from-size \(bad) is not between 1 and the newest checkpoint's size \(newest.size)")
            }
            let cosigned = try store.latestCosignedCheckpoint()
            let older = cosigned.flatMap { $0.checkpoint.size < newest.size ? $0 : nil }
            let steps = try consistencySteps(store: store, anchor: newest.size, extra: (older.map { [$0.checkpoint.size] } ?? []) + fromSizes,
                                             limit: Limits.maxEdgeSyncConsistencyProofs)
            let note = cosigned.flatMap { $0.checkpoint.size == newest.size ? $0.checkpoint.cosignedNote($0.cosignatures) : nil } ?? newest.note
            return EdgeSyncFile(checkpoint: note, consistency: steps,
                                witnessedCheckpoint: older.map { $0.checkpoint.cosignedNote($0.cosignatures) })
        } catch let e as Failure {
            throw e
        } catch let e as LedgerError {
            throw .ledger(e)
        } catch {
            throw .notReady("\(error)")
        }
    }

    /// The newest cosigned checkpoint and its note with the cosignatures, when it covers the
    /// entry at `seq` and is at least `size`; nil without one (a ledger that never pushed).
    static func witnessedAnchor(store: LedgerStore, covering seq: Int,
                                atLeast size: Int) throws(LedgerError) -> (checkpoint: StoredCheckpoint, note: String)? {
        guard let cosigned = try store.latestCosignedCheckpoint(), cosigned.checkpoint.size > seq,
              cosigned.checkpoint.size >= size else { return nil }
        return (cosigned.checkpoint, cosigned.checkpoint.cosignedNote(cosigned.cosignatures))
    }
}
