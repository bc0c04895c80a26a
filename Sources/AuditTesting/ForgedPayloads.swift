import AuditCore
import AuditCrypto
import AuditPolicy
import AuditRecords
import Foundation

/// Payloads of authority-bearing entries as the service would write them, for forging entries
/// at the raw level (`TestRecords.forge`, `TestRecordsHome.forge`): what makes the forgery
/// fail must be its authority, never a malformed payload.
public enum ForgedPayload {
    public static func userAdded(name: String, roles: [String], passwordDigest: Digest = SHA256.hash("puppet password")) -> JSONValue {
        ["printedName": .string(name), "roles": .array(roles.map(JSONValue.string)), "passwordDigest": .string(passwordDigest.prefixed),
         "mustChangePassword": false, "reason": "new hire"]
    }

    public static func role(_ role: String) -> JSONValue { ["role": .string(role), "reason": "cover"] }

    public static func reason(_ text: String = "forged") -> JSONValue { ["reason": .string(text)] }

    public static func keyRegistered(_ key: Ed25519PublicKey) -> JSONValue {
        ["keyId": .string(key.keyID.prefixed), "publicKey": .string(key.base64), "algorithm": "ed25519", "reason": "first login"]
    }

    public static func credentialChanged(_ digest: Digest = SHA256.hash("attacker's password")) -> JSONValue {
        ["passwordDigest": .string(digest.prefixed), "mustChangePassword": false, "reason": "first login"]
    }

    public static func keyRevoked(_ keyID: Digest) -> JSONValue { ["keyId": .string(keyID.prefixed), "reason": "laptop lost"] }

    /// `authority.confirmed`, naming the waiting key's id when one is among `seqs`.
    public static func confirms(_ seqs: [Int], keyID: Digest? = nil) -> JSONValue {
        var o: [String: JSONValue] = ["confirms": .array(seqs.map { .number(Double($0)) }), "evidence": "badge checked"]
        if let keyID { o["keyId"] = .string(keyID.prefixed) }
        return .object(o)
    }

    /// `policy.updated` recording `text` (it must load as an approval policy).
    public static func policy(_ text: String, previous: Digest?) throws -> JSONValue {
        let policy = try ApprovalPolicy.load(bytes: Array(text.utf8), file: "approval.yaml")
        return ["policy": "approval", "digest": .string(policy.digest.prefixed), "file": "approval.yaml", "reason": "forged",
                "previous": previous.map { .string($0.prefixed) } ?? .null, "content": .string(text)]
    }

    /// A genuine e-signature by `key` over `changeDigest` (a `signature.added` payload).
    public static func signature(changeDigest: Digest, signer: String, name: String, meaning: Meaning, key: Ed25519PrivateKey,
                                 roles: [String], time: Date = Date()) -> JSONValue {
        let statement = SignedStatement(changeDigest: changeDigest, signerID: signer, printedName: name, meaning: meaning,
                                        time: UTCTime.format(time), comment: "")
        return ["statement": statement.jsonValue, "signature": .string(Base64.encode(key.sign(statement.signingBytes))),
                "keyId": .string(key.publicKey.keyID.prefixed), "roles": .array(roles.sorted().map(JSONValue.string))]
    }

    /// A genuine waiver signature by `key` (a `waiver.granted` payload).
    public static func waiver(finding: String, by signer: String, name: String, key: Ed25519PrivateKey, days: Double = 30,
                              roles: [String]) -> JSONValue {
        let now = Date()
        let statement = WaiverStatement(findingID: finding, reason: "interim compensating interlock",
                                        expiresAt: UTCTime.format(now + days * 86_400), topologyDigest: nil,
                                        waivedBy: signer, printedName: name, time: UTCTime.format(now))
        return ["statement": statement.jsonValue, "signature": .string(Base64.encode(key.sign(statement.signingBytes))),
                "keyId": .string(key.publicKey.keyID.prefixed), "roles": .array(roles.map(JSONValue.string))]
    }

    /// A `change.approved` payload for `change` naming `signers` in its assignment, as the
    /// service writes one (but not recomputed from anything).
    public static func approval(of change: ChangeRecord, policy: Digest, signers: [(role: String, id: String, seq: Int)]) -> JSONValue {
        ["changeDigest": .string(change.current.digest.prefixed), "policyDigest": .string(policy.prefixed),
         "changeId": .string(change.id), "change": change.current.content.jsonValue, "proposedAt": .string(change.current.time),
         "assignment": .array(signers.map {
             ["role": .string($0.role), "signerId": .string($0.id), "meaning": "approved", "signature": .string("seq \($0.seq)")]
         })]
    }
}

extension Entry {
    /// The payload without its `authority`, to re-append it elsewhere.
    public var unsignedPayload: JSONValue { EntryAuthority.unsignedPayload(payload) }
    /// The entry's authority signatures (empty when it has none).
    public var authoritySignatures: [AuthoritySignature] { EntryAuthority.signatures(of: payload) ?? [] }
}
