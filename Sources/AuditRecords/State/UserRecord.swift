import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

/// A person (or an edge device) as the ledger knows them right now. Derived by folding
/// entries; never stored.
public struct UserRecord: Sendable, Equatable {
    public let id: String
    public internal(set) var printedName: String
    /// Roles in effect: granted *and* confirmed by enough admins other than the granter.
    /// Every authority check reads this set, so an unconfirmed grant carries no power.
    public internal(set) var roles: Set<String>
    /// Roles granted but still waiting for confirmation, with the entry that granted them.
    public internal(set) var pendingRoles: [String: PendingGrant] = [:]
    public internal(set) var active = true
    public let addedSeq: Int
    /// Who enrolled this person (`ledger.created` founders: nil). They knew the one-time
    /// password, so they may never confirm this person's identity or keys.
    public let enrolledBy: String?
    /// SHA-256 of the current Argon2id verifier string (the verifier itself is kept in a
    /// credentials file, out of the ledger and its exports).
    public internal(set) var passwordDigest: Digest
    public internal(set) var passwordSetAt: Date
    /// A one-time password set by an admin: it must be changed before any signing.
    public internal(set) var mustChangePassword: Bool
    /// Failures since the last successful authenticated action or unlock, with their times.
    public internal(set) var failureTimes: [Date] = []
    public internal(set) var locked = false
    public internal(set) var keys: [KeyRecord] = []
    /// Every enrollment, grant, revocation and confirmation, in ledger order (access report).
    public internal(set) var history: [AccessEvent] = []

    init(id: String, printedName: String, roles: Set<String>, addedSeq: Int, enrolledBy: String?,
         passwordDigest: Digest, passwordSetAt: Date, mustChangePassword: Bool) {
        self.id = id
        self.printedName = printedName
        self.roles = roles
        self.addedSeq = addedSeq
        self.enrolledBy = enrolledBy
        self.passwordDigest = passwordDigest
        self.passwordSetAt = passwordSetAt
        self.mustChangePassword = mustChangePassword
    }

    public var consecutiveFailures: Int { failureTimes.count }

    public var isAdmin: Bool { roles.contains(ApprovalPolicy.adminRole) }
    public var isEdge: Bool { roles.contains(ApprovalPolicy.edgeRole) || pendingRoles[ApprovalPolicy.edgeRole] != nil }

    /// The latest registered key, unless revoked: the one that may make new signatures
    /// once confirmed.
    public var activeKey: KeyRecord? {
        guard let last = keys.last, last.revokedSeq == nil else { return nil }
        return last
    }

    /// The active key when it may carry authority (confirmed or vouched for by a confirmed key).
    public var signingKey: KeyRecord? {
        guard let key = activeKey, key.confirmed else { return nil }
        return key
    }

    /// Who revoked the owner's last key in force before the key registered at `seq`: that
    /// admin made the person need a new key nobody vouches for, so another admin confirms it.
    public func revokerOfKeyInForce(before seq: Int) -> String? {
        keys.last { $0.confirmed && $0.registeredSeq < seq }?.revokedBy
    }

    public var status: String {
        if !active { return "deactivated" }
        if locked { return "locked" }
        return "active"
    }
}

/// A role grant waiting for confirmations.
public struct PendingGrant: Sendable, Equatable {
    public let seq: Int
    public let grantedBy: String
    public internal(set) var confirmedBy: [String] = []
}

/// A registered public key. Signatures it made before `revokedSeq` / `supersededSeq` stay valid.
public struct KeyRecord: Sendable, Equatable {
    public let keyID: Digest
    public let publicKey: Ed25519PublicKey
    public let registeredSeq: Int
    public internal(set) var revokedSeq: Int?
    public internal(set) var revokeReason: String?
    /// The admin who revoked it.
    public internal(set) var revokedBy: String?
    /// Seq of the `key.registered` entry of the key that replaced this one.
    public internal(set) var supersededSeq: Int?
    /// Whether the key may carry authority: a founder's key, a key registered under the
    /// signature of the owner's previous confirmed key, or one confirmed by enough admins.
    public internal(set) var confirmed: Bool
    /// Seq from which it is confirmed (its registration when vouched for).
    public internal(set) var confirmedSeq: Int?
    public internal(set) var confirmedBy: [String] = []

    /// Could this key make a signature recorded at `seq`?
    func usable(at seq: Int) -> Bool {
        seq > registeredSeq && (revokedSeq.map { seq < $0 } ?? true) && (supersededSeq.map { seq < $0 } ?? true)
    }

    /// Could this key carry authority (or an e-signature) recorded at `seq`?
    func authoritative(at seq: Int) -> Bool {
        usable(at: seq) && confirmed && (confirmedSeq.map { seq > $0 } ?? false)
    }

    public var status: String {
        if revokedSeq != nil { return "revoked" }
        if supersededSeq != nil { return "superseded" }
        if !confirmed { return "awaiting confirmation" }
        return "active"
    }
}

/// One line of the access report: who did what to whose identity, at which seq.
public struct AccessEvent: Sendable, Equatable {
    public let seq: Int
    public let time: String
    /// `enrolled`, `role granted`, `role confirmed`, `role revoked`, `key registered`,
    /// `key confirmed`, `key revoked`, `deactivated`, `unlocked`, ...
    public let what: String
    public let by: String
    public let detail: String
}
