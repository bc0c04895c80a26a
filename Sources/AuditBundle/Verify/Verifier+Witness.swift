import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

/// approval.witness: a witness (the central fleet service) vouches that it saw the approval's
/// checkpoint, or a later one it extends, and that what it saw is one history: the site's
/// host cannot show this edge a forked or rolled-back log the witness never cosigned.
extension Verifier {
    /// Every check, except `approval.witness` when the trust root requires no witness: its
    /// report then reads exactly as before witnesses existed.
    var reportedChecks: [CheckID] {
        trust.witnessQuorum == nil ? CheckID.allCases.filter { $0 != .approvalWitness } : CheckID.allCases
    }

    /// Counts the trusted witnesses' valid cosignatures on the bundle's checkpoint; short of
    /// the quorum, looks for a witnessed checkpoint the edge holds at or past it, which
    /// `approval.consistency` has just tied to it (every checkpoint the edge remembers is a
    /// prefix of the last one it saw, so a smaller one is a prefix of a larger one).
    func checkWitnesses(_ approval: ApprovalOutcome?, options: VerifyOptions, report: inout Report) {
        guard let quorum = trust.witnessQuorum else { return }
        guard let approval else {
            report.set(.approvalWitness, .skipped, "no verified checkpoint (see approval.proof)")
            return
        }
        let tolerance = trust.witnessClockTolerance
        let size = approval.checkpoint.size
        let own: [VerifiedCosignature]
        do {
            own = try WitnessCosignatures.verified(note: approval.note, witnesses: trust.witnesses, now: options.now, tolerance: tolerance)
        } catch {
            report.set(.approvalWitness, .failed, "checkpoint size \(size): \(error)")
            return
        }
        if !own.isEmpty, let note = WitnessCosignatures.reduced(note: approval.note, logKey: trust.log.key, keeping: own) {
            report.witnessed = EdgeState.WitnessedCheckpoint(size: size, root: approval.checkpoint.root, note: note)
        }
        let ownNames = WitnessCosignatures.names(own)
        if ownNames.count >= quorum {
            report.set(.approvalWitness, .passed,
                       "checkpoint size \(size) cosigned by \(ownNames.joined(separator: ", ")) (quorum \(quorum))", findings: ownNames)
            return
        }
        var findings: [String] = []
        if let state = options.state, report.status(.checkpointConsistency) == .passed {
            for held in state.witnessed where held.size >= size {
                guard state.checkpoints.known(size: held.size)?.root == held.root,
                      let body = try? ApprovalProofVerifier.openCheckpoint(held.note, log: trust.log),
                      body.size == held.size, body.root == held.root else {
                    findings.append("the edge's witnessed checkpoint size \(held.size) is not one it remembers; ignored")
                    continue
                }
                let names: [String]
                do {
                    names = WitnessCosignatures.names(try WitnessCosignatures.verified(
                        note: held.note, witnesses: trust.witnesses, now: options.now, tolerance: tolerance))
                } catch {
                    findings.append("the edge's witnessed checkpoint size \(held.size): \(error)")
                    continue
                }
                if names.count >= quorum {
                    report.set(.approvalWitness, .passed,
                               "checkpoint size \(size) is a prefix of size \(held.size), which this edge holds cosigned by \(names.joined(separator: ", ")) (quorum \(quorum))",
                               findings: names)
                    return
                }
            }
        }
        let trusted = Array(Set(trust.witnesses.map(\.name))).sorted().joined(separator: ", ")
        report.set(.approvalWitness, .failed,
                   "checkpoint size \(size) carries \(ownNames.count) of the \(quorum) required witness cosignature(s) (trusted: \(trusted))"
                   + (options.state == nil ? "" : ", and this edge holds no later witnessed checkpoint it is consistent with")
                   + ": the witness never vouched for this history",
                   findings: ownNames + findings)
    }
}

extension TrustRoot {
    /// How far a witness cosignature's time may be ahead of an edge's clock: the recorded
    /// policy's `security.clockToleranceSeconds` when the trust root ships the policy, else
    /// that setting's default.
    public var witnessClockTolerance: Double {
        guard let document = approvalPolicy.document,
              let policy = try? ApprovalPolicy.load(bytes: Array(document.utf8), file: "trust-root approvalPolicy") else {
            return Double(SecurityParameters().clockToleranceSeconds)
        }
        return Double(policy.security.clockToleranceSeconds)
    }
}
