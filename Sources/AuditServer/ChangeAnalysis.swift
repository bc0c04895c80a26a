import AuditCore
import AuditPolicy
import AuditRecords
import Foundation

/// What a reviewer needs beside the change itself: what differs from the model's
/// previously approved change, and the policy's requirements with which are met. Read-only
/// views over the replayed state and the policy's own evaluation (nothing decided here).
struct ChangeAnalysis {
    struct Difference { let field: String; let previous: String; let proposed: String }
    struct RequirementView { let role: String; let count: Int; let meanings: [String]; let signers: [String]
        var met: Bool { signers.count >= count }
    }

    let previousApproved: ChangeRecord?
    let differences: [Difference]
    let requirements: [RequirementView]
    let evaluation: ApprovalEvaluation?
    let notes: [String: String]

    init(change: ChangeRecord, state: RecordsState, policy: ApprovalPolicy?, now: Date) {
        let model = change.current.content.model
        previousApproved = state.changesInOrder.last { other in
            other.id != change.id && other.current.content.model == model && other.decision?.approved == true
                && other.current.seq < change.current.seq
        }
        differences = Self.diff(previousApproved?.current.content, change.current.content)
        guard let policy else {
            requirements = []; evaluation = nil; notes = [:]
            return
        }
        let evaluation = policy.evaluate(change.approvalFacts(now: now))
        self.evaluation = evaluation
        var counted: [String: [String]] = [:]
        var notes: [String: String] = [:]
        for note in evaluation.notes {
            switch note.outcome {
            case .counted(let role):
                counted[role, default: []].append(note.signerID)
                notes[note.reference] = "counts for \(role)"
            case .rejects: notes[note.reference] = "rejects the change"
            case .authorship: notes[note.reference] = "authorship (fills no requirement)"
            case .ignored(let why): notes[note.reference] = "does not count: \(why.description)"
            }
        }
        self.notes = notes
        requirements = policy.rule(for: change.current.content.changeType).requirements.map { r in
            RequirementView(role: r.role, count: r.count, meanings: r.meanings.map(\.rawValue).sorted(),
                            signers: counted[r.role] ?? [])
        }
    }

    static func diff(_ old: ChangeRecordContent?, _ new: ChangeRecordContent) -> [Difference] {
        func row(_ field: String, _ a: String?, _ b: String?) -> Difference? {
            (a ?? "—") == (b ?? "—") ? nil : Difference(field: field, previous: a ?? "—", proposed: b ?? "—")
        }
        guard let old else { return [] }
        return [
            row("changeType", old.changeType.rawValue, new.changeType.rawValue),
            row("modelVersion", old.modelVersion, new.modelVersion),
            row("artifactDigest", old.artifactDigest?.prefixed, new.artifactDigest?.prefixed),
            row("targetZone", old.targetZone, new.targetZone),
        ].compactMap { $0 }
    }

    var jsonValue: JSONValue {
        var decision: JSONValue = .null
        if let evaluation {
            switch evaluation.decision {
            case .pending: decision = "pending"
            case .approved: decision = "approved"
            case .rejected: decision = "rejected"
            case .expired: decision = "expired"
            }
        }
        return .object([
            "previousApproved": previousApproved.map { p -> JSONValue in
                .object(["changeId": .string(p.id), "modelVersion": .string(p.current.content.modelVersion),
                         "digest": .string(p.current.digest.prefixed), "decisionSeq": .optional(p.decision?.seq)])
            } ?? .null,
            "differences": .array(differences.map { .object(["field": .string($0.field), "previous": .string($0.previous), "proposed": .string($0.proposed)]) }),
            "policy": .object([
                "decision": decision,
                "deadline": .optional(evaluation.map { UTCTime.format($0.deadline) }),
                "policyDigest": .optional(evaluation?.policyDigest.prefixed),
                "requirements": .array(requirements.map { r in
                    .object(["role": .string(r.role), "count": JSONValue(r.count), "meanings": .array(r.meanings.map(JSONValue.string)),
                             "signers": .array(r.signers.map(JSONValue.string)), "met": .bool(r.met)])
                }),
            ]),
        ])
    }
}
