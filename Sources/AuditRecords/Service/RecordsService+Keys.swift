import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

extension RecordsService {
    /// The owner replaces their password and signing key in one step: a fresh Ed25519 key
    /// sealed under the new password, its public key registered, the old key superseded
    /// (its past signatures stay valid). This is also how a one-time password is replaced
    /// and the first key enrolled; only someone who knows the current password can do it.
    @discardableResult
    public func rotateKey(_ owner: Credentials, newPassword: String, reason: String) async throws(RecordsError) -> KeyRecord {
        try RecordIDs.checkText(reason, field: "reason")
        let (lock, state) = try locked()
        defer { withExtendedLifetime(lock) {} }
        let user = try await authenticate(owner, in: state, operation: "rotate key")
        try checkNewPassword(newPassword, for: user.id)
        guard newPassword != owner.password else { throw .invalidInput(field: "new password", reason: "must differ from the current password") }
        let key = Ed25519PrivateKey.generate()
        let sealed: [UInt8]
        do { sealed = try SealedKey.seal(key, password: newPassword, parameters: configuration.keySealing) } catch {
            throw .storage(path: "(sealed key)", reason: error.description)
        }
        try files.storeSealedKey(sealed, user: user.id, keyID: key.publicKey.keyID)
        let digest = try hashPassword(newPassword, user: user.id)
        let entries = try await append([
            EntryDraft(kind: EntryKind.credentialChanged, actor: user.id, subject: user.id,
                       payload: ["passwordDigest": .string(digest.prefixed), "mustChangePassword": false, "reason": .string(reason)]),
            EntryDraft(kind: EntryKind.keyRegistered, actor: user.id, subject: user.id,
                       payload: ["keyId": .string(key.publicKey.keyID.prefixed), "publicKey": .string(key.publicKey.base64),
                                 "algorithm": "ed25519", "reason": .string(reason)]),
        ])
        return KeyRecord(keyID: key.publicKey.keyID, publicKey: key.publicKey, registeredSeq: entries[1].seq)
    }

    /// An admin revokes a lost or compromised key (default: the user's active key). New
    /// signatures with it are refused; those made before stay valid. The user enrolls a new
    /// key with `rotateKey`, which needs their own password.
    @discardableResult
    public func revokeKey(of id: String, keyID: Digest?, reason: String, by admin: Credentials) async throws(RecordsError) -> Entry {
        try RecordIDs.checkText(reason, field: "reason")
        return try await adminAction(on: id, by: admin, operation: "revoke keys") { user, actor throws(RecordsError) in
            guard let key = keyID.flatMap({ k in user.keys.first { $0.keyID == k } }) ?? (keyID == nil ? user.activeKey : nil) else {
                throw .notFound(what: "key of '\(id)'", id: keyID?.prefixed ?? "(active)")
            }
            guard key.revokedSeq == nil else { throw .conflict("key \(key.keyID.prefixed) is already revoked") }
            return [EntryDraft(kind: EntryKind.keyRevoked, actor: actor.id, subject: id,
                               payload: ["keyId": .string(key.keyID.prefixed), "reason": .string(reason)])]
        }
    }

    /// Records an approval policy file so it applies from now on (change control, P10).
    /// The file text is kept in the entry when small enough, so auditors read the rules
    /// that decided without needing the file.
    @discardableResult
    public func recordPolicy(_ policy: ApprovalPolicy, bytes: [UInt8], reason: String, by admin: Credentials) async throws(RecordsError) -> Entry {
        try RecordIDs.checkText(reason, field: "reason")
        let (lock, state) = try locked()
        defer { withExtendedLifetime(lock) {} }
        guard SHA256.hash(bytes) == policy.digest else { throw .invalidInput(field: "policy", reason: "bytes are not the loaded policy's") }
        let actor = try await authenticateAdmin(admin, in: state, operation: "record the approval policy")
        guard state.policyDigest != policy.digest else {
            throw .conflict("\(policy.file) (\(policy.digest.prefixed)) is already the approval policy in force")
        }
        var payload: [String: JSONValue] = [
            "policy": "approval", "digest": .string(policy.digest.prefixed), "file": .string(policy.file),
            "reason": .string(reason), "previous": state.policyDigest.map { .string($0.prefixed) } ?? .null,
        ]
        if bytes.count <= Limits.maxRecordedPolicyBytes { payload["content"] = .string(String(decoding: bytes, as: UTF8.self)) }
        return try await append([EntryDraft(kind: EntryKind.policyUpdated, actor: actor.id, subject: "approval-policy",
                                            payload: .object(payload))])[0]
    }
}
