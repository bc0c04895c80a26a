import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

/// What an author proposes. Without `changeID` a new change gets a fresh ID; with the ID
/// of an existing change it becomes that change's next version (new digest).
public struct ChangeProposal: Sendable {
    public var changeID: String?
    public var changeType: ChangeType
    public var model: String
    public var modelVersion: String
    public var reason: String
    public var artifactDigest: Digest?
    public var targetZone: String?

    public init(changeID: String? = nil, changeType: ChangeType, model: String, modelVersion: String, reason: String,
                artifactDigest: Digest? = nil, targetZone: String? = nil) {
        self.changeID = changeID
        self.changeType = changeType
        self.model = model
        self.modelVersion = modelVersion
        self.reason = reason
        self.artifactDigest = artifactDigest
        self.targetZone = targetZone
    }
}

extension RecordsService {
    /// Appends `change.proposed`. Only the original author proposes new versions, and only
    /// while the change is undecided; admins administer and do not author changes.
    @discardableResult
    public func propose(_ proposal: ChangeProposal, by author: Credentials) async throws(RecordsError) -> ChangeVersion {
        try RecordIDs.checkText(proposal.reason, field: "reason")
        try RecordIDs.checkText(proposal.model, field: "model", maxBytes: Limits.maxRecordIDBytes * 2)
        try RecordIDs.checkText(proposal.modelVersion, field: "version", maxBytes: Limits.maxRecordIDBytes)
        if let zone = proposal.targetZone { try RecordIDs.checkText(zone, field: "target zone", maxBytes: Limits.maxRecordIDBytes) }
        let id = proposal.changeID ?? "chg-" + Hex.encode(SecureRandom.bytes(5))
        try RecordIDs.checkChangeID(id)
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        let user = try await authenticate(author, in: state, operation: "propose a change")
        guard !user.isAdmin else { throw .refused("admins enroll people and manage keys; they do not author changes") }
        guard user.roles.contains(ApprovalPolicy.authorRole) else {
            throw .refused("'\(user.id)' does not hold the '\(ApprovalPolicy.authorRole)' role in force (granted roles wait for a second admin's confirmation)")
        }
        let actor = try actor(user, password: author.password, now: clock(), security: state.security)
        let existing = state.changes[id]
        if let existing {
            guard existing.current.content.authorID == user.id else {
                throw .refused("only the author of '\(id)' (\(existing.current.content.authorID)) may propose a new version")
            }
            if let decision = existing.decision {
                throw .conflict("'\(id)' was already \(decision.approved ? "approved" : "rejected") at seq \(decision.seq); propose a new change")
            }
        }
        let content = ChangeRecordContent(changeID: id, changeType: proposal.changeType, model: proposal.model,
                                          modelVersion: proposal.modelVersion, reason: proposal.reason, authorID: user.id,
                                          artifactDigest: proposal.artifactDigest, targetZone: proposal.targetZone,
                                          previous: existing?.current.digest)
        if let current = existing?.current.content,
           ChangeRecordContent(changeID: id, changeType: current.changeType, model: current.model, modelVersion: current.modelVersion,
                               reason: current.reason, authorID: current.authorID, artifactDigest: current.artifactDigest,
                               targetZone: current.targetZone, previous: content.previous) == content {
            throw .conflict("the proposal is identical to the current version of '\(id)'; nothing to change")
        }
        let digest = content.digest
        let entry = try await append([EntryDraft(kind: EntryKind.changeProposed, actor: user.id, subject: id, payload: [
            "record": content.jsonValue, "digest": .string(digest.prefixed),
            "version": .number(Double((existing?.versions.count ?? 0) + 1)),
        ], authority: actor.authority)])[0]
        return ChangeVersion(content: content, digest: digest, seq: entry.seq, proposedAt: UTCTime.parse(entry.time) ?? clock(), time: entry.time)
    }
}
