import AuditCore
import AuditCrypto
import Foundation

/// Everything an edge trusts, in one file it receives out of band: the ledger's origin and
/// checkpoint key, the approvers' Ed25519 keys with roles and validity windows, optional
/// producer (model-signing ECDSA) keys, the approval policy (its digest, and optionally
/// the policy itself so the role check can run offline), and optionally the fleet witnesses
/// whose cosignatures an approval's checkpoint must carry (`witnessQuorum` of them).
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
    /// Witness keys (c2sp.org/tlog-cosignature) of the central fleet service or other
    /// witnesses. Listing the same witness name with two keys (a rotation) counts it once.
    public var witnesses: [CosignerKey]
    /// How many distinct witnesses must have cosigned an approval's checkpoint (or a later
    /// one it is consistent with) for `verify-bundle` to pass `approval.witness`; nil when the
    /// trust root requires no witness.
    public var witnessQuorum: Int?

    public init(log: Log, signers: [Signer], producers: [Producer] = [], approvalPolicy: Policy,
                witnesses: [CosignerKey] = [], witnessQuorum: Int? = nil) {
        self.log = log
        self.signers = signers
        self.producers = producers
        self.approvalPolicy = approvalPolicy
        self.witnesses = witnesses
        self.witnessQuorum = witnessQuorum
    }

    /// Why `witnesses` and `quorum` cannot go together, or nil when they can: both absent, or
    /// a quorum from 1 to the number of distinct witness names, keys listed once each.
    public static func witnessProblem(_ witnesses: [CosignerKey], quorum: Int?) -> (field: String, reason: String)? {
        guard witnesses.count <= Limits.maxTrustRootWitnesses else {
            return ("witnesses", "more than \(Limits.maxTrustRootWitnesses) witness keys")
        }
        if let i = witnesses.indices.first(where: { i in witnesses[..<i].contains(witnesses[i]) }) {
            return ("witnesses[\(i)].key", "key listed twice")
        }
        let distinct = Set(witnesses.map(\.name)).count
        switch quorum {
        case nil where distinct > 0:
            return ("witnessQuorum", "required when witnesses are listed (how many must cosign, 1 to \(distinct))")
        case let q? where distinct == 0:
            return ("witnessQuorum", "\(q) needs witnesses to count; list them in 'witnesses'")
        case let q? where q < 1 || q > distinct:
            return ("witnessQuorum", "must be between 1 and the \(distinct) distinct witness name(s) listed, not \(q)")
        default:
            return nil
        }
    }

    /// The signer whose key fingerprint is `keyID`.
    public func signer(keyID: Digest) -> Signer? { signers.first { $0.keyID == keyID } }
}
