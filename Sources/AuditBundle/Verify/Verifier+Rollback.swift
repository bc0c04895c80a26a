import AuditCore
import AuditPolicy

extension Verifier {
    /// Anti-rollback by ledger order: per model and zone the edge keeps the seq of the
    /// `change.approved` entry it last accepted, and the later approval wins. So an approved
    /// `rollback` change to an earlier version loads (its approval is newer), while an older
    /// bundle whose approval was superseded — a replay, or a downgrade nobody approved — is
    /// refused, whatever its version string says. Version strings decide nothing here, except
    /// once after upgrading from a format 1 state that kept no approval seq.
    func rollbackStatus(_ release: ReleaseInfo, statement: ModelStatement, change: ApprovedChange, approvalSeq: Int,
                        zone: String, state: EdgeState) -> (CheckStatus, String) {
        let zoneText = zone.isEmpty ? "" : " in zone '\(zone)'"
        let this = "\(release.modelName) \(release.modelVersion) (\(change.changeID), approved in entry \(approvalSeq))"
        guard let last = state.lastAccepted(model: release.modelName, zone: zone) else {
            return (.passed, "\(this) is the first release accepted\(zoneText)")
        }
        let previous = "\(last.version) (\(last.changeID)\(last.approvalSeq.map { ", entry \($0)" } ?? ""))"
        guard let lastSeq = last.approvalSeq else { return legacyStatus(release, change: change, last: last, zoneText: zoneText) }
        if approvalSeq < lastSeq {
            return (.failed, "\(this) was superseded by the approval of \(previous), accepted\(zoneText) at \(last.acceptedAt); "
                + "loading an earlier version needs a newly approved rollback change")
        }
        if approvalSeq == lastSeq {
            guard last.bundleDigest == statement.subjectDigest else {
                return (.failed, "approval entry \(approvalSeq) was accepted\(zoneText) with other content (\(last.bundleDigest.prefixed))")
            }
            return (.passed, "\(this) is the release already accepted\(zoneText)")
        }
        let downgrade = SemanticVersion(release.modelVersion).flatMap { v in SemanticVersion(last.version).map { v < $0 } } ?? false
        let how = downgrade ? "approved \(change.changeType.rawValue) from \(previous)" : "replaces \(previous)"
        return (.passed, "\(this) \(how): its approval is later in the ledger")
    }

    /// A release carried over from a format 1 state has no approval seq: judge this one
    /// transition by semantic version as that format did, except that an approved `rollback`
    /// change may go back. The accepted release then records its seq.
    private func legacyStatus(_ release: ReleaseInfo, change: ApprovedChange, last: EdgeState.AcceptedRelease,
                              zoneText: String) -> (CheckStatus, String) {
        guard let version = SemanticVersion(release.modelVersion), let lastVersion = SemanticVersion(last.version) else {
            return (.failed, "the state (format 1) kept \(last.version) with no approval seq and '\(release.modelVersion)' cannot be compared with it; "
                + "restore a newer state or let QA decide")
        }
        if version < lastVersion && change.changeType != .rollback {
            return (.failed, "\(release.modelName) \(version) is older than \(lastVersion), accepted\(zoneText) at \(last.acceptedAt) "
                + "(state format 1 kept no approval seq), and \(change.changeID) is not an approved rollback")
        }
        return (.passed, "\(release.modelName) \(version) after \(lastVersion)\(zoneText) (state format 1: judged by version once)")
    }
}
