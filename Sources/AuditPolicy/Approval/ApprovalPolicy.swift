import AuditCore

/// A loaded, validated approval policy: who must e-sign which kind of change before it
/// is approved. Pure data plus pure decisions; the ledger records which policy decided
/// by its `digest`, and a changed policy applies only once the ledger records it.
public struct ApprovalPolicy: Sendable, Equatable {
    /// Holders of this role administer people and keys and may never sign a change, so an
    /// administrator cannot reset someone's credentials and then approve in their place.
    public static let adminRole = "admin"
    /// Inspectors: read the record, proofs and exports; never sign or administer.
    public static let auditorRole = "auditor"
    /// Edge devices: their key signs deployment decisions, nothing else.
    public static let edgeRole = "edge"
    /// Proposes changes (authorship).
    public static let authorRole = "author"
    /// Roles every ledger knows whether or not the policy declares them; none can sign a change.
    public static let builtInRoles: Set<String> = [adminRole, auditorRole, edgeRole]

    public let version: Int
    /// Declared roles in file order.
    public let roles: [String]
    /// Lockout, password, clock and session limits and identity confirmations.
    public let security: SecurityParameters
    public let register: ChangeRule
    public let promote: ChangeRule
    public let rollback: ChangeRule
    public let retire: ChangeRule
    public let config: ChangeRule
    /// SHA-256 of the exact policy file bytes.
    public let digest: Digest
    /// File name used in messages.
    public let file: String

    public func rule(for changeType: ChangeType) -> ChangeRule {
        switch changeType {
        case .register: return register
        case .promote: return promote
        case .rollback: return rollback
        case .retire: return retire
        case .config: return config
        }
    }
}

/// What one change type needs.
public struct ChangeRule: Sendable, Equatable {
    public let changeType: ChangeType
    /// All must be met, each by distinct people.
    public let requirements: [Requirement]
    /// Whether the change's author may sign it (and count). Default false.
    public let authorMaySign: Bool
    /// Signatures made later than this after the proposal do not count.
    public let expiresAfterHours: Int

    /// Roles named by some requirement; their holders may reject the change.
    public var requiredRoles: Set<String> { Set(requirements.map(\.role)) }
}

/// "`count` distinct holders of `role` sign with one of `meanings`".
public struct Requirement: Sendable, Equatable, Hashable {
    public let role: String
    public let count: Int
    public let meanings: Set<Meaning>
    /// Line in the policy file, for explanations.
    public let line: Int
}
