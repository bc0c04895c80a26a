import AuditCore
import AuditCrypto
import Foundation

/// Everything an edge trusts, in one file it receives out of band: the ledger's origin and
/// checkpoint key, the approvers' Ed25519 keys with roles and validity windows, optional
/// producer (model-signing ECDSA) keys, and the approval policy (its digest, and optionally
/// the policy itself so the role check can run offline).
public struct TrustRoot: Sendable, Equatable {
    public static let formatVersion = 1

    /// The ledger whose checkpoints prove approvals.
    public struct Log: Sendable, Equatable {
        public let origin: String
        public let key: NoteVerifierKey
        public init(origin: String, key: NoteVerifierKey) { self.origin = origin; self.key = key }
    }

    /// An approver's key. Valid from `notBefore` up to (not including) `revokedAt`.
    public struct Signer: Sendable, Equatable {
        public let id: String
        public let publicKey: Ed25519PublicKey
        public let roles: [String]
        public let notBefore: Date
        public let revokedAt: Date?
        public var keyID: Digest { publicKey.keyID }

        public init(id: String, publicKey: Ed25519PublicKey, roles: [String], notBefore: Date, revokedAt: Date? = nil) {
            self.id = id
            self.publicKey = publicKey
            self.roles = roles
            self.notBefore = notBefore
            self.revokedAt = revokedAt
        }

        public func isValid(at time: Date) -> Bool {
            time >= notBefore && (revokedAt.map { time < $0 } ?? true)
        }
    }

    /// A model producer's ECDSA P-256 key (OpenSSF model-signing `sign key`).
    public struct Producer: Sendable, Equatable {
        public let name: String
        public let key: ECDSAP256PublicKey
        /// The PEM text as given; model-signing's key hint is SHA-256 of these bytes.
        public let pem: String
        public init(name: String, pem: String) throws(KeyFormatError) {
            self.name = name
            self.pem = pem
            self.key = try ECDSAP256PublicKey(pem: pem)
        }
    }

    /// The approval policy in force: its digest, and the YAML itself when shipped to the edge.
    public struct Policy: Sendable, Equatable {
        public let digest: Digest
        public let document: String?
        public init(digest: Digest, document: String?) { self.digest = digest; self.document = document }
    }

    public var log: Log
    public var signers: [Signer]
    public var producers: [Producer]
    public var approvalPolicy: Policy

    public init(log: Log, signers: [Signer], producers: [Producer] = [], approvalPolicy: Policy) {
        self.log = log
        self.signers = signers
        self.producers = producers
        self.approvalPolicy = approvalPolicy
    }

    /// The signer whose key fingerprint is `keyID`.
    public func signer(keyID: Digest) -> Signer? { signers.first { $0.keyID == keyID } }
}
