import AuditCore
import AuditCrypto
import AuditLedger
import AuditRecords
import Foundation

/// What an edge needs from the ledger, taken from it: the trust root (log key, signers and
/// their roles and validity windows, the approval policy in force) and approval proofs.
public enum LedgerBundleSources {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case ledger(LedgerError)
        case notReady(String)

        public var description: String {
            switch self {
            case .ledger(let e): return e.description
            case .notReady(let m): return m
            }
        }
    }

    /// The trust root as of now. Keys of deactivated users and of admins are left out (they
    /// may not approve); a key is valid from its registration until its revocation or the
    /// rotation that superseded it, both taken from ledger times.
    public static func trustRoot(store: LedgerStore, state: RecordsState) throws(Failure) -> TrustRoot {
        do {
            let key = try NoteVerifierKey.parse(store.verifierKey)
            func time(_ seq: Int) throws -> Date {
                let e = try store.entry(seq: seq)
                guard let d = UTCTime.parse(e.time) else { throw Failure.notReady("entry \(seq) has an unreadable time") }
                return d
            }
            var signers: [TrustRoot.Signer] = []
            for id in state.userIDsInOrder {
                guard let user = state.users[id], user.active, !user.isAdmin, !user.isEdge else { continue }
                // Only keys that could carry authority, from when they could (registration when
                // vouched for, otherwise the second admin's confirmation), with the roles in force.
                for k in user.keys where k.confirmed {
                    let end = [k.revokedSeq, k.supersededSeq].compactMap { $0 }.min()
                    signers.append(TrustRoot.Signer(id: user.id, publicKey: k.publicKey, roles: user.roles.sorted(),
                                                    notBefore: try time(k.confirmedSeq ?? k.registeredSeq), revokedAt: try end.map(time)))
                }
            }
            guard let policySeq = state.policySeq, let digest = state.policyDigest else {
                throw Failure.notReady("no approval policy is recorded in the ledger (`auditctl policy record`)")
            }
            let document = try store.entry(seq: policySeq).payload["content"]?.stringValue
            return TrustRoot(log: .init(origin: store.origin, key: key), signers: signers,
                             approvalPolicy: .init(digest: digest, document: document))
        } catch let e as Failure {
            throw e
        } catch let e as LedgerError {
            throw .ledger(e)
        } catch {
            throw .notReady("\(error)")
        }
    }

    /// The proof that change `changeID` was approved: its `change.approved` entry, an RFC 9162
    /// inclusion proof into the approval's checkpoint (the first signed checkpoint covering
    /// it, so every later proof can prove consistency from there), and consistency proofs from
    /// the checkpoints of earlier approvals (`ConsistencyCandidates`). When the fleet witness
    /// has cosigned a checkpoint covering the approval, the proof is anchored there instead,
    /// its note carrying the cosignatures (`witnessedAnchor`), with a proof from the approval's
    /// own checkpoint among the consistency proofs.
    public static func approvalProof(store: LedgerStore, state: RecordsState, changeID: String) throws(Failure) -> ApprovalProof {
        guard let change = state.changes[changeID] else { throw .notReady("no change '\(changeID)' in the ledger") }
        guard let decision = change.decision, decision.approved else {
            throw .notReady("change '\(changeID)' is not approved (\(change.decision == nil ? "no decision yet" : "it was rejected"))")
        }
        do {
            let stored = try store.checkpoints()
            guard let size = ConsistencyCandidates.approvalCheckpoint(seq: decision.seq, checkpointSizes: stored.map(\.size)),
                  let checkpoint = stored.first(where: { $0.size == size }) else {
                throw Failure.notReady("no signed checkpoint covers seq \(decision.seq) yet (`auditctl checkpoint`)")
            }
            let anchor = try witnessedAnchor(store: store, covering: decision.seq, atLeast: size)
                ?? (checkpoint: checkpoint, note: checkpoint.note)
            let proof = try store.inclusionProof(seq: decision.seq, size: anchor.checkpoint.size)
            let extra = anchor.checkpoint.size > size ? [size] : []
            return ApprovalProof(entry: try store.entry(seq: decision.seq), treeSize: anchor.checkpoint.size,
                                 inclusionPath: proof.path, checkpoint: anchor.note,
                                 consistency: try consistencySteps(store: store, anchor: anchor.checkpoint.size, extra: extra))
        } catch let e as Failure {
            throw e
        } catch let e as LedgerError {
            throw .ledger(e)
        } catch {
            throw .notReady("\(error)")
        }
    }
}
