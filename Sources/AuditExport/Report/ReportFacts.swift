import AuditCore
import AuditLedger
import AuditPolicy
import AuditRecords
import Foundation

/// Everything the report says, gathered while the entries stream by: the manifest's
/// cover facts, the records state at the start and at the end of the period (replayed,
/// so every signature and decision in it was re-verified), and counts over the period.
struct ReportFacts {
    var manifest: ExportManifest
    var atStart = RecordsState()
    var atEnd = RecordsState()
    var kindCounts: [String: Int] = [:]
    /// `policy.updated` seq of each approval policy digest seen.
    var policySeqs: [Digest: Int] = [:]
    var topologyChecks: [(seq: Int, time: String, file: String, digest: String, compliant: Bool, open: Int)] = []
    var lockouts: [(seq: Int, time: String, user: String)] = []
    var authFailures = 0
    var exports: [(seq: Int, time: String, by: String)] = []

    var period: ClosedRange<Int> { manifest.firstSeq...manifest.lastSeq }
    var asOf: Date { UTCTime.parse(manifest.asOf) ?? Date() }

    /// Selected changes with anything (a version, signature, decision or deployment) in the period.
    var changes: [ChangeRecord] {
        atEnd.changesInOrder.filter { change in
            manifest.selection.includes(change) && !events(of: change).filter { $0.seq.map(period.contains) ?? false }.isEmpty
        }
    }

    func deployments(of change: ChangeRecord) -> [DeploymentRecord] {
        atEnd.deployments.filter { $0.record["subject"]?.stringValue == change.id }
    }

    /// A change's life in ledger order: versions, signatures, decisions, deployments, expiry.
    func events(of change: ChangeRecord) -> [ChangeEvent] {
        var events: [ChangeEvent] = []
        for (i, v) in change.versions.enumerated() {
            var old = "", new = ""
            if i > 0 {
                let diffs = ChangeFields.pairs(change.versions[i - 1].content, v.content).filter { $0.1 != $0.2 }
                old = diffs.map { "\($0.0): \($0.1)" }.joined(separator: "; ")
                new = diffs.map { "\($0.0): \($0.2)" }.joined(separator: "; ")
            }
            events.append(ChangeEvent(seq: v.seq, time: v.time, what: i == 0 ? "proposed" : "revised (version \(i + 1))",
                                      by: v.content.authorID, detail: v.content.reason, old: old, new: new))
        }
        for s in change.signatures {
            let st = s.statement
            events.append(ChangeEvent(seq: s.seq, time: s.recordedAt, what: "signed (\(st?.meaning.rawValue ?? "?"))",
                                      by: st?.signerID ?? "?", detail: s.problem.map { "NOT verified: \($0)" } ?? "signature verified",
                                      signature: s))
        }
        for d in change.decisions {
            events.append(ChangeEvent(seq: d.seq, time: d.time, what: d.approved ? "approved" : "rejected", by: RecordIDs.systemActor,
                                      detail: d.problem.map { "NOT counted: \($0)" } ?? "recomputed from the signatures and policy \(TrailText.short(d.policyDigest?.prefixed))",
                                      old: "pending", new: d.approved ? "approved" : "rejected"))
        }
        for d in deployments(of: change) {
            let decision = d.record["decision"]
            events.append(ChangeEvent(seq: d.seq, time: d.record["time"]?.stringValue ?? "", what: d.verified ? "deployed (may load)" : "deployment blocked",
                                      by: d.edge, detail: "bundle \(decision?["bundle"]?.stringValue ?? "?")" + (decision?["zone"]?.stringValue.map { ", zone \($0)" } ?? "")
                                        + (d.problem.map { " — NOT counted: \($0)" } ?? "")))
        }
        if case .expired(let deadline) = change.status(policy: atEnd.policy, now: asOf) {
            events.append(ChangeEvent(seq: nil, time: UTCTime.format(deadline), what: "expired", by: "-",
                                      detail: "the policy's time limit passed without a decision"))
        }
        return events.sorted { ($0.seq ?? Int.max, $0.time) < ($1.seq ?? Int.max, $1.time) }
    }
}

/// One line of a change's timeline.
struct ChangeEvent {
    let seq: Int?
    let time: String
    let what: String
    let by: String
    let detail: String
    var old = ""
    var new = ""
    var signature: SignatureRecord?
}
