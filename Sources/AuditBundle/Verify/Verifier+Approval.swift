import AuditCore
import Foundation

extension Verifier {
    struct ApprovalOutcome {
        let checkpoint: CheckpointBody
        /// The checkpoint's signed note as the bundle carries it (witness cosignatures included).
        let note: String
        let change: ApprovedChange?
        /// Seq of the verified `change.approved` entry: its place in the ledger order.
        let approvalSeq: Int
        /// What this proof proves to the edge (its checkpoint and verified prefixes); empty
        /// without `--state` or when it is not consistent with what the edge saw.
        let proven: [EdgeState.SeenCheckpoint]
    }

    /// approval.proof and approval.consistency.
    func checkApprovalProof(_ directory: String, statement: ModelStatement, options: VerifyOptions,
                            report: inout Report) -> ApprovalOutcome? {
        let path = directory + "/" + BundleLayout.approvalProofFileName
        let proof: ApprovalProof
        do throws(BundleInputError) { proof = try ApprovalProof.read(path: path) } catch {
            report.set(.approvalProof, .failed, "no usable approval proof: \(error)")
            report.set(.checkpointConsistency, .skipped, "no verified checkpoint")
            return nil
        }
        let checkpoint: CheckpointBody
        do throws(ApprovalProofFailure) { checkpoint = try ApprovalProofVerifier.verify(proof, log: trust.log) } catch {
            report.set(.approvalProof, .failed, error.description)
            report.set(.checkpointConsistency, .skipped, "no verified checkpoint")
            return nil
        }
        let change: ApprovedChange
        do throws(ApprovalLinkError) { change = try options.approvalLink.approvedChange(from: proof.entry) } catch {
            report.set(.approvalProof, .failed, error.description)
            report.set(.checkpointConsistency, .skipped, "no verified checkpoint")
            return nil
        }
        report.set(.approvalProof, .passed,
                   "change \(change.changeID) approved in entry \(proof.entry.seq), included in checkpoint \(checkpoint.origin) size \(checkpoint.size)")
        var proven: [EdgeState.SeenCheckpoint] = []
        if let state = options.state {
            do throws(ApprovalProofFailure) {
                proven = try CheckpointRelation.relate(checkpoint, steps: proof.consistency, seen: state.checkpoints)
                let last = state.checkpoints.last.map { "size \($0.size)" } ?? "none yet"
                report.set(.checkpointConsistency, .passed, "checkpoint size \(checkpoint.size) consistent with the last seen (\(last))")
            } catch {
                report.set(.checkpointConsistency, .failed, error.description)
            }
        } else {
            report.set(.checkpointConsistency, .skipped, "no --state: this edge keeps no checkpoint to compare with")
        }
        return ApprovalOutcome(checkpoint: checkpoint, note: proof.checkpoint, change: change, approvalSeq: proof.entry.seq,
                               proven: proven)
    }

    /// approval.digest, rollback and zone.
    func checkRelease(statement: ModelStatement, approval: ApprovalOutcome?, options: VerifyOptions, report: inout Report) {
        let change = approval?.change
        guard let release = statement.release else {
            let why = "the statement has no auditctl release block (predicate.auditctl)"
            report.set(.recordedDigest, .failed, why)
            report.set(.rollback, .failed, why)
            report.set(.zone, options.zone == nil ? .skipped : .failed, why)
            return
        }
        if let change {
            var mismatches: [String] = []
            if change.bundleDigest != statement.subjectDigest {
                mismatches.append("recorded digest \(change.bundleDigest.prefixed), bundle \(statement.subjectDigest.prefixed)")
            }
            if change.changeID != release.changeID { mismatches.append("change \(change.changeID), bundle says \(release.changeID)") }
            if change.modelName != release.modelName { mismatches.append("model \(change.modelName), bundle says \(release.modelName)") }
            if change.modelVersion != release.modelVersion { mismatches.append("version \(change.modelVersion), bundle says \(release.modelVersion)") }
            if change.zones.sorted() != release.zones.sorted() { mismatches.append("zones \(change.zones), bundle says \(release.zones)") }
            if mismatches.isEmpty {
                report.set(.recordedDigest, .passed, "change \(change.changeID) recorded \(change.bundleDigest.prefixed)")
            } else {
                report.set(.recordedDigest, .failed, mismatches.joined(separator: "; "), findings: mismatches)
            }
        } else {
            report.set(.recordedDigest, .skipped, "not checked: no verified approved change (see approval.proof)")
        }

        let zone = options.zone ?? ""
        if let state = options.state {
            if let approval, let change = approval.change {
                let (status, detail) = rollbackStatus(release, statement: statement, change: change,
                                                      approvalSeq: approval.approvalSeq, zone: zone, state: state)
                report.set(.rollback, status, detail)
            } else {
                report.set(.rollback, .skipped, "not checked: no verified approval to place in the ledger order (see approval.proof)")
            }
        } else {
            report.set(.rollback, .skipped, "no --state: no record of earlier versions")
        }

        guard let z = options.zone else {
            report.set(.zone, .skipped, "no --zone given")
            return
        }
        guard release.zones.contains(z) else {
            report.set(.zone, .failed, "zone '\(z)' is not one the change was approved for (\(release.zones.joined(separator: ", ")))")
            return
        }
        if let topology = options.topologyFile {
            switch options.zoneAdmission.admits(zone: z, topologyFile: topology, release: release) {
            case .success(let how): report.set(.zone, .passed, "zone '\(z)' approved and admitted: \(how)")
            case .failure(let why): report.set(.zone, .failed, why.description)
            }
        } else {
            report.set(.zone, .passed, "zone '\(z)' is one the change was approved for (no topology given)")
        }
    }
}
