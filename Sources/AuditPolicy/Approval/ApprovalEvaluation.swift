import AuditCore
import Foundation

/// A signature already verified (key, digest binding, signer identity) by the ledger,
/// reduced to the facts the policy decides on.
public struct SignatureFact: Sendable, Equatable {
    public let signerID: String
    /// Roles the signer held when signing.
    public let roles: Set<String>
    public let meaning: Meaning
    public let signedAt: Date
    /// Where the signature lives (e.g. ledger seq), echoed in explanations.
    public let reference: String

    public init(signerID: String, roles: Set<String>, meaning: Meaning, signedAt: Date, reference: String) {
        self.signerID = signerID
        self.roles = roles
        self.meaning = meaning
        self.signedAt = signedAt
        self.reference = reference
    }
}

/// Everything known about one proposed change at evaluation time.
public struct ApprovalFacts: Sendable, Equatable {
    public let changeType: ChangeType
    public let authorID: String
    public let proposedAt: Date
    public let now: Date
    /// In ledger order.
    public let signatures: [SignatureFact]

    public init(changeType: ChangeType, authorID: String, proposedAt: Date, now: Date, signatures: [SignatureFact]) {
        self.changeType = changeType
        self.authorID = authorID
        self.proposedAt = proposedAt
        self.now = now
        self.signatures = signatures
    }
}

/// The policy's verdict plus one note per signature saying how it was used.
public struct ApprovalEvaluation: Sendable, Equatable {
    public let decision: ApprovalDecision
    /// Same order as `ApprovalFacts.signatures`.
    public let notes: [SignatureNote]
    /// Which policy decided, for the ledger's `change.approved` / `change.rejected` entry.
    public let policyDigest: Digest
    /// Signatures after this instant do not count.
    public let deadline: Date
}

public enum ApprovalDecision: Sendable, Equatable {
    /// Still open; each shortfall says which role lacks how many signers.
    case pending(shortfalls: [Shortfall])
    /// Every requirement met by distinct people; which signature filled which slot.
    case approved(assignment: [Assignment])
    /// At least one admissible `rejected` signature before the deadline; rejection wins.
    case rejected(by: [SignatureReference])
    /// The deadline passed before the requirements were met.
    case expired(deadline: Date, shortfalls: [Shortfall])
}

public struct Shortfall: Sendable, Equatable, CustomStringConvertible {
    public let role: String
    public let required: Int
    public let counted: Int
    public var missing: Int { required - counted }

    public var description: String {
        "\(role): \(missing) more signature\(missing == 1 ? "" : "s") needed (\(counted) of \(required))"
    }
}

public struct Assignment: Sendable, Equatable {
    public let role: String
    public let signerID: String
    public let meaning: Meaning
    public let reference: String
}

public struct SignatureReference: Sendable, Equatable {
    public let signerID: String
    public let reference: String
}

public struct SignatureNote: Sendable, Equatable {
    public let reference: String
    public let signerID: String
    public let outcome: SignatureOutcome
}

public enum SignatureOutcome: Sendable, Equatable {
    /// Filled a slot of the requirement for `role`.
    case counted(role: String)
    /// An admissible rejection.
    case rejects
    /// The author's own `authored` signature: recorded, fills no requirement.
    case authorship
    case ignored(IgnoredBecause)
}

public enum IgnoredBecause: Sendable, Equatable, CustomStringConvertible {
    case refused(SignatureRefusal)
    /// Signed after the proposal expired.
    case afterDeadline(Date)
    /// Timestamp precedes the proposal itself.
    case beforeProposal
    /// This person already counts once through another signature.
    case signerAlreadyCounted
    /// Admissible, but every slot it could fill is taken by other signers.
    case notNeeded

    public var description: String {
        switch self {
        case .refused(let refusal): return refusal.description
        case .afterDeadline(let deadline): return "signed after the proposal expired at \(deadline)"
        case .beforeProposal: return "signed before the change was proposed"
        case .signerAlreadyCounted: return "this signer already counts once for this change"
        case .notNeeded: return "every requirement this signature could fill is already met by others"
        }
    }
}
