import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

extension RecordsService {
    /// The owner replaces their password and signing key in one step: a fresh Ed25519 key
    /// sealed under the new password, its public key registered, the old key superseded
    /// (its past signatures stay valid). This is also how a one-time password is replaced
    /// and the first key enrolled; only someone who knows the current password can do it.
    ///
    /// When the owner's current key may carry authority, it signs the new key's registration
    /// (vouches for it) and the new key is in force at once. Otherwise — a first key, made
    /// with a password an admin once knew — the new key signs its own registration and waits
    /// for a second admin's confirmation.
    @discardableResult
    public func rotateKey(_ owner: Credentials, newPassword: String, reason: String) async throws(RecordsError) -> KeyRecord {
        try RecordIDs.checkText(reason, field: "reason")
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        let user = try await authenticate(owner, in: state, operation: "rotate key")
        try checkNewPassword(newPassword, for: user.id, security: state.security)
        guard newPassword != owner.password else { throw .invalidInput(field: "new password", reason: "must differ from the current password") }
        let voucher: Ed25519PrivateKey? = try user.signingKey.map { k throws(RecordsError) in try openKey(of: user, k, password: owner.password) }
        let key = Ed25519PrivateKey.generate()
        let sealed: [UInt8]
        do { sealed = try SealedKey.seal(key, password: newPassword, parameters: configuration.keySealing) } catch {
            throw .storage(path: "(sealed key)", reason: error.description)
        }
        try files.storeSealedKey(sealed, user: user.id, keyID: key.publicKey.keyID)
        let digest = try hashPassword(newPassword, user: user.id)
        let entries = try await append([
            EntryDraft(kind: EntryKind.keyRegistered, actor: user.id, subject: user.id,
                       payload: ["keyId": .string(key.publicKey.keyID.prefixed), "publicKey": .string(key.publicKey.base64),
                                 "algorithm": "ed25519", "reason": .string(reason)],
                       authority: KeyAuthority(voucher ?? key)),
            EntryDraft(kind: EntryKind.credentialChanged, actor: user.id, subject: user.id,
                       payload: ["passwordDigest": .string(digest.prefixed), "mustChangePassword": false, "reason": .string(reason)],
                       authority: KeyAuthority(key)),
        ])
        let confirmed = voucher != nil || state.security.identityConfirmations == 0
        return KeyRecord(keyID: key.publicKey.keyID, publicKey: key.publicKey, registeredSeq: entries[0].seq,
                         confirmed: confirmed, confirmedSeq: confirmed ? entries[0].seq : nil)
    }

    /// An admin revokes a lost or compromised key (default: the user's active key). New
    /// signatures with it are refused; those made before stay valid. The user enrolls a new
    /// key with `rotateKey`, which then needs another admin's confirmation.
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

    /// Records an approval policy file (change control, P10). The file text is kept in the
    /// entry, so the replay and auditors read the rules that decided without the file. It
    /// applies once another admin confirms it (`confirmPolicy`), unless the policy in force
    /// asks for no confirmations.
    @discardableResult
    public func recordPolicy(_ policy: ApprovalPolicy, bytes: [UInt8], reason: String, by admin: Credentials) async throws(RecordsError) -> Entry {
        try RecordIDs.checkText(reason, field: "reason")
        guard SHA256.hash(bytes) == policy.digest else { throw .invalidInput(field: "policy", reason: "bytes are not the loaded policy's") }
        guard bytes.count <= Limits.maxRecordedPolicyBytes else {
            throw .invalidInput(field: "policy", reason: "larger than \(Limits.maxRecordedPolicyBytes) bytes; the recorded policy keeps its text")
        }
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        let actor = try await authenticateAdmin(admin, in: state, operation: "record the approval policy")
        guard state.policyDigest != policy.digest else {
            throw .conflict("\(policy.file) (\(policy.digest.prefixed)) is already the approval policy in force")
        }
        if let waiting = state.pendingPolicies.values.first(where: { $0.policy.digest == policy.digest }) {
            throw .conflict("\(policy.file) was already recorded at seq \(waiting.seq) and waits for confirmation (`auditctl policy confirm`)")
        }
        let payload: [String: JSONValue] = [
            "policy": "approval", "digest": .string(policy.digest.prefixed), "file": .string(policy.file),
            "reason": .string(reason), "previous": state.policyDigest.map { .string($0.prefixed) } ?? .null,
            "content": .string(String(decoding: bytes, as: UTF8.self)),
        ]
        return try await append([EntryDraft(kind: EntryKind.policyUpdated, actor: actor.id, subject: RecordsState.policySubject,
                                            payload: .object(payload), authority: actor.authority)])[0]
    }

    /// A second admin confirms the recorded policies waiting for confirmation (all of them
    /// not recorded by this admin); the newest confirmed one is then in force.
    @discardableResult
    public func confirmPolicy(reason: String, by admin: Credentials) async throws(RecordsError) -> Entry {
        try RecordIDs.checkText(reason, field: "reason")
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        let actor = try await authenticateAdmin(admin, in: state, operation: "confirm the approval policy")
        let seqs = state.pendingPolicies.values.filter { $0.recordedBy != actor.id && !$0.confirmedBy.contains(actor.id) }.map(\.seq).sorted()
        guard !seqs.isEmpty else {
            throw .conflict(state.pendingPolicies.isEmpty ? "no recorded policy is waiting for confirmation"
                            : "'\(actor.id)' recorded (or already confirmed) every policy waiting; another admin must confirm")
        }
        return try await append([EntryDraft(kind: EntryKind.authorityConfirmed, actor: actor.id, subject: RecordsState.policySubject,
                                            payload: ["confirms": .array(seqs.map { .number(Double($0)) }), "evidence": .string(reason)],
                                            authority: actor.authority)])[0]
    }
}
