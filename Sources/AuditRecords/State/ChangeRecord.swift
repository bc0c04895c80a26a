import AuditCore
import AuditPolicy
import Foundation

/// A change and all its versions, signatures and decisions, derived from the ledger.
public struct ChangeRecord: Sendable, Equatable {
    public let id: String
    public internal(set) var versions: [ChangeVersion] = []
    /// Every `signature.added` on this change, valid or not, in ledger order.
    public internal(set) var signatures: [SignatureRecord] = []
    public internal(set) var decisions: [DecisionRecord] = []

    /// The version signatures must bind to now. Every record has at least one version.
    public var current: ChangeVersion { versions[versions.count - 1] }

    /// Valid signatures over the current version, in ledger order.
    public var currentSignatures: [SignatureRecord] {
        signatures.filter { $0.problem == nil && $0.statement?.changeDigest == current.digest }
    }

    /// The recorded decision on the current version, if any (the first one wins).
    public var decision: DecisionRecord? {
        decisions.first { $0.changeDigest == current.digest && $0.problem == nil }
    }

    /// Facts for the approval policy: only valid signatures bound to the current version.
    public func approvalFacts(now: Date) -> ApprovalFacts {
        ApprovalFacts(changeType: current.content.changeType, authorID: current.content.authorID,
                      proposedAt: current.proposedAt, now: now,
                      signatures: currentSignatures.compactMap { s in
                          guard let st = s.statement, let at = st.date else { return nil }
                          return SignatureFact(signerID: st.signerID, roles: s.rolesAtSigning, meaning: st.meaning,
                                               signedAt: at, reference: "seq \(s.seq)")
                      })
    }
}

public struct ChangeVersion: Sendable, Equatable {
    public let content: ChangeRecordContent
    public let digest: Digest
    public let seq: Int
    public let proposedAt: Date
    public let time: String
}

/// One `signature.added` entry and what the ledger replay found about it.
public struct SignatureRecord: Sendable, Equatable {
    public let seq: Int
    /// Ledger time of the entry.
    public let recordedAt: String
    public let statement: SignedStatement?
    public let signature: [UInt8]
    public let keyID: Digest?
    /// Roles the signer held when the entry was appended (from the ledger, not the payload).
    public let rolesAtSigning: Set<String>
    /// Nil when the signature verifies and binds to a version of this change; otherwise why not.
    public let problem: String?
}

/// A `change.approved` or `change.rejected` entry.
public struct DecisionRecord: Sendable, Equatable {
    public let seq: Int
    public let approved: Bool
    public let changeDigest: Digest?
    public let policyDigest: Digest?
    public let time: String
    /// Nil when consistent with the ledger at that point.
    public let problem: String?
}
