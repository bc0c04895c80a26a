import AuditCore
import AuditCrypto
import Foundation

extension EdgeSync {
    /// Keeps the sync file's witnessed checkpoints in `state`: its checkpoint when it carries
    /// trusted cosignatures, and its `witnessedCheckpoint`, which must be signed by the log
    /// and be a checkpoint the state now remembers (the file's proofs tie it to its
    /// checkpoint). Nothing happens when the trust root names no witnesses. Returns the
    /// largest size kept.
    static func rememberWitnessed(_ file: EdgeSyncFile, trust: TrustRoot, state: inout EdgeState,
                                  now: Date) throws(Failure) -> Int? {
        guard !trust.witnesses.isEmpty else { return nil }
        var kept: Int?
        for note in [file.checkpoint] + (file.witnessedCheckpoint.map { [$0] } ?? []) {
            let body: CheckpointBody
            do throws(ApprovalProofFailure) { body = try ApprovalProofVerifier.openCheckpoint(note, log: trust.log) } catch {
                throw .refused(error)
            }
            guard state.checkpoints.known(size: body.size)?.root == body.root else {
                throw .refused(.inconsistent("the witnessed checkpoint (size \(body.size)) is not proven consistent with the file's checkpoint"))
            }
            let cosignatures: [VerifiedCosignature]
            do throws(WitnessFailure) {
                cosignatures = try WitnessCosignatures.verified(note: note, witnesses: trust.witnesses, now: now,
                                                                tolerance: trust.witnessClockTolerance)
            } catch {
                throw .witness(size: body.size, error)
            }
            guard !cosignatures.isEmpty,
                  let reduced = WitnessCosignatures.reduced(note: note, logKey: trust.log.key, keeping: cosignatures) else { continue }
            state.rememberWitnessed(EdgeState.WitnessedCheckpoint(size: body.size, root: body.root, note: reduced))
            kept = max(kept ?? 0, body.size)
        }
        return kept
    }
}
