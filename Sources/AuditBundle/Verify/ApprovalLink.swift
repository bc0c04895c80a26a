import AuditCore
import AuditPolicy
import AuditRecords
import Foundation

// Everything verify-bundle needs to know about the `change.approved` payload and about how
// approver roles are judged is in this file; nothing else in AuditBundle reads entry payloads.

/// What the approved change recorded, as far as a bundle is concerned.
public struct ApprovedChange: Sendable, Equatable {
    public let changeID: String
    public let changeType: ChangeType
    public let authorID: String
    public let proposedAt: Date
    /// Time of the `change.approved` entry (ledger time, proven by the checkpoint).
    public let approvedAt: Date
    /// The statement subject digest (model-signing's digest over the resource digests).
    public let bundleDigest: Digest
    public let modelName: String
    public let modelVersion: String
    public let zones: [String]

    public init(changeID: String, changeType: ChangeType, authorID: String, proposedAt: Date, approvedAt: Date,
                bundleDigest: Digest, modelName: String, modelVersion: String, zones: [String]) {
        self.changeID = changeID
        self.changeType = changeType
        self.authorID = authorID
        self.proposedAt = proposedAt
        self.approvedAt = approvedAt
        self.bundleDigest = bundleDigest
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.zones = zones
    }
}

public struct ApprovalLinkError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The verdict of the role check: passed, or the reasons it failed.
public enum RoleVerdict: Sendable, Equatable {
    case satisfied(String)
    case notSatisfied([String])
}

/// The two questions only the records/policy side can answer.
public protocol ApprovalLink: Sendable {
    /// Reads the approved change from a verified `change.approved` entry.
    func approvedChange(from entry: Entry) throws(ApprovalLinkError) -> ApprovedChange
    /// Whether the verified approver signatures satisfy the approval policy for the change.
    func checkRoles(approvers: [VerifiedSignature], change: ApprovedChange, trust: TrustRoot) -> RoleVerdict
}

/// Reads the `change.approved` payload AuditRecords writes — `{"changeId", "change": <the
/// change record, auditctl-change/v1>, "changeDigest", "proposedAt", "policyDigest",
/// "assignment"}` — checking that the embedded record hashes to `changeDigest`, so the
/// approval binds to exactly that version (P13). Roles are judged with the approval policy
/// embedded in the trust root.
public struct LedgerApprovalLink: ApprovalLink {
    public init() {}

    public func approvedChange(from entry: Entry) throws(ApprovalLinkError) -> ApprovedChange {
        let p = entry.payload
        let at = "change.approved entry \(entry.seq)"
        guard let record = p["change"], let content = ChangeRecordContent(json: record) else {
            throw ApprovalLinkError("\(at): payload.change is missing or not an auditctl-change/v1 record")
        }
        guard let claimed = p["changeDigest"]?.stringValue.flatMap(Digest.init(prefixed:)), claimed == content.digest else {
            throw ApprovalLinkError("\(at): payload.change does not hash to payload.changeDigest")
        }
        guard p["changeId"]?.stringValue == content.changeID else {
            throw ApprovalLinkError("\(at): payload.changeId differs from the change record's id")
        }
        guard let proposedAt = p["proposedAt"]?.stringValue.flatMap(UTCTime.parse), let approvedAt = UTCTime.parse(entry.time) else {
            throw ApprovalLinkError("\(at): times are not RFC 3339 UTC")
        }
        guard let digest = content.artifactDigest else {
            throw ApprovalLinkError("\(at): the approved change names no bundle digest (propose it with --bundle DIR or --digest)")
        }
        return ApprovedChange(changeID: content.changeID, changeType: content.changeType, authorID: content.authorID,
                              proposedAt: proposedAt, approvedAt: approvedAt, bundleDigest: digest,
                              modelName: content.model, modelVersion: content.modelVersion,
                              zones: content.targetZone.map { [$0] } ?? [])
    }

    /// Each approver signature counts as an `approved` e-signature made at approval time by
    /// the trust root's signer id with its roles; the policy decides (thresholds, separation
    /// of duties, author exclusion).
    public func checkRoles(approvers: [VerifiedSignature], change: ApprovedChange, trust: TrustRoot) -> RoleVerdict {
        guard let document = trust.approvalPolicy.document else {
            return .notSatisfied(["the trust root carries no approval policy document, so roles cannot be checked offline"])
        }
        let policy: ApprovalPolicy
        do { policy = try ApprovalPolicy.load(bytes: Array(document.utf8), file: "trust-root approvalPolicy") } catch {
            return .notSatisfied(["the trust root's approval policy does not load: \(error)"])
        }
        let facts = ApprovalFacts(
            changeType: change.changeType, authorID: change.authorID, proposedAt: change.proposedAt,
            now: change.approvedAt,
            signatures: approvers.map {
                SignatureFact(signerID: $0.signer, roles: Set($0.roles), meaning: .approved,
                              signedAt: change.approvedAt, reference: $0.keyID)
            })
        switch policy.evaluate(facts).decision {
        case .approved(let assignment):
            return .satisfied(assignment.map { "\($0.role): \($0.signerID)" }.joined(separator: ", "))
        case .pending(let shortfalls), .expired(_, let shortfalls):
            return .notSatisfied(shortfalls.map { "\($0)" })
        case .rejected(let by):
            return .notSatisfied(by.map { "rejected by \($0.signerID)" })
        }
    }
}

/// Decides whether `zone` in the topology file admits the model (`TopologyZoneAdmission`).
public protocol ZoneAdmission: Sendable {
    func admits(zone: String, topologyFile: String, release: ReleaseInfo) -> Result<String, ApprovalLinkError>
}

public struct UnavailableZoneAdmission: ZoneAdmission {
    public init() {}
    public func admits(zone: String, topologyFile: String, release: ReleaseInfo) -> Result<String, ApprovalLinkError> {
        .failure(ApprovalLinkError("zone admission against a topology is not available in this build"))
    }
}
