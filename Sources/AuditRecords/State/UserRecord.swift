import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

/// A person as the ledger knows them right now. Derived by folding entries; never stored.
public struct UserRecord: Sendable, Equatable {
    public let id: String
    public internal(set) var printedName: String
    public internal(set) var roles: Set<String>
    public internal(set) var active = true
    public let addedSeq: Int
    /// SHA-256 of the current Argon2id verifier string (the verifier itself is kept in a
    /// credentials file, out of the ledger and its exports).
    public internal(set) var passwordDigest: Digest
    public internal(set) var passwordSetAt: Date
    /// A one-time password set by an admin: it must be changed before any signing.
    public internal(set) var mustChangePassword: Bool
    /// Failures since the last successful authenticated action or unlock.
    public internal(set) var consecutiveFailures = 0
    public internal(set) var locked = false
    public internal(set) var keys: [KeyRecord] = []

    public var isAdmin: Bool { roles.contains(ApprovalPolicy.adminRole) }

    /// The one key that may make new signatures: the latest registered, unless revoked.
    public var activeKey: KeyRecord? {
        guard let last = keys.last, last.revokedSeq == nil else { return nil }
        return last
    }

    public var status: String {
        if !active { return "deactivated" }
        if locked { return "locked" }
        return "active"
    }
}

/// A registered public key. Signatures it made before `revokedSeq` / `supersededSeq` stay valid.
public struct KeyRecord: Sendable, Equatable {
    public let keyID: Digest
    public let publicKey: Ed25519PublicKey
    public let registeredSeq: Int
    public internal(set) var revokedSeq: Int?
    public internal(set) var revokeReason: String?
    /// Seq of the `key.registered` entry of the key that replaced this one.
    public internal(set) var supersededSeq: Int?

    /// Could this key make a signature recorded at `seq`?
    func usable(at seq: Int) -> Bool {
        seq > registeredSeq && (revokedSeq.map { seq < $0 } ?? true) && (supersededSeq.map { seq < $0 } ?? true)
    }

    public var status: String {
        if revokedSeq != nil { return "revoked" }
        if supersededSeq != nil { return "superseded" }
        return "active"
    }
}
