import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

extension RecordsState {
    /// Kinds that create or change identity, authority or a record's status: each must carry
    /// exactly one authority signature by its actor's key (`EntryAuthority`).
    public static let authorityKinds: Set<String> = [
        EntryKind.userAdded, EntryKind.userDeactivated, EntryKind.roleGranted, EntryKind.roleRevoked,
        EntryKind.credentialChanged, EntryKind.keyRegistered, EntryKind.keyRevoked, EntryKind.accountUnlocked,
        EntryKind.policyUpdated, EntryKind.authorityConfirmed, EntryKind.clockCorrected, EntryKind.changeProposed,
        EntryKind.signatureAdded, EntryKind.waiverGranted, EntryKind.topologyChecked, EntryKind.exportGenerated,
        EntryKind.problemAcknowledged,
    ]
    /// Written by auditctl on its own behalf and signed with the log key.
    public static let systemKinds: Set<String> = [EntryKind.authFailed, EntryKind.accountLocked]
    /// Kinds an admin writes (their admin role must be in force at that seq).
    static let adminKinds: Set<String> = [
        EntryKind.userAdded, EntryKind.userDeactivated, EntryKind.roleGranted, EntryKind.roleRevoked, EntryKind.keyRevoked,
        EntryKind.accountUnlocked, EntryKind.policyUpdated, EntryKind.authorityConfirmed, EntryKind.clockCorrected,
        EntryKind.problemAcknowledged,
    ]
    /// Admin kinds about another person: an admin never acts on their own identity.
    static let aboutAnotherPerson: Set<String> = [
        EntryKind.userAdded, EntryKind.userDeactivated, EntryKind.roleGranted, EntryKind.roleRevoked,
    ]
    /// A person's own credential changes; their key may still await confirmation.
    static let selfServiceKinds: Set<String> = [EntryKind.credentialChanged, EntryKind.keyRegistered]

    /// Nil when the entry's authority holds at its seq; otherwise why not. Decisions
    /// (recomputed), deployments (edge-signed) and free-form kinds are judged elsewhere.
    func authorityProblem(_ e: Entry) -> String? {
        if Self.systemKinds.contains(e.kind) { return systemAuthorityProblem(e) }
        guard Self.authorityKinds.contains(e.kind) else { return nil }
        guard let signatures = EntryAuthority.signatures(of: e.payload) else {
            return "carries no authority signature: anyone could have appended it"
        }
        guard signatures.count == 1 else { return "its 'authority' is malformed (one signature by the actor expected)" }
        let signature = signatures[0]
        guard let user = users[e.actor] else { return "actor '\(e.actor)' is not an enrolled identity" }
        guard user.active else { return "actor '\(e.actor)' is deactivated" }
        let statement = EntryAuthority.statementBytes(of: e)
        if e.kind == EntryKind.keyRegistered, let newKey = registeredKey(e), signature.keyID == newKey.keyID {
            // A key proves possession by signing its own registration. It carries no other
            // authority until vouched for or confirmed (RecordsState+Apply).
            guard e.actor == e.subject else { return "a key can only be registered by its owner" }
            guard newKey.verify(signature: signature.signature, message: statement) else {
                return "the new key's signature over its registration does not verify"
            }
            return nil
        }
        guard let key = user.keys.first(where: { $0.keyID == signature.keyID }) else {
            return "signed with key \(signature.keyID.prefixed), which is not registered to '\(user.id)'"
        }
        let selfService = Self.selfServiceKinds.contains(e.kind)
        guard selfService ? key.usable(at: e.seq) : key.authoritative(at: e.seq) else {
            return "signed with key \(key.keyID.prefixed) of '\(user.id)', which was \(key.status) at this seq"
        }
        guard key.publicKey.verify(signature: signature.signature, message: statement) else {
            return "authority signature does not verify under key \(key.keyID.prefixed) of '\(user.id)'"
        }
        return powerProblem(e, user)
    }

    /// Whether the actor held the power the kind needs at this seq.
    private func powerProblem(_ e: Entry, _ user: UserRecord) -> String? {
        if Self.adminKinds.contains(e.kind) {
            guard user.isAdmin else { return "'\(user.id)' did not hold the admin role in force at this seq" }
            if Self.aboutAnotherPerson.contains(e.kind), e.subject == user.id {
                return "an admin cannot act on their own identity; another admin must"
            }
            return nil
        }
        switch e.kind {
        case EntryKind.credentialChanged, EntryKind.keyRegistered:
            return e.actor == e.subject ? nil : "only '\(e.subject)' may change their own credentials"
        case EntryKind.changeProposed:
            guard !user.isAdmin else { return "'\(user.id)' is an admin; admins do not author changes" }
            return user.roles.contains(ApprovalPolicy.authorRole) ? nil
                : "'\(user.id)' did not hold the '\(ApprovalPolicy.authorRole)' role in force at this seq"
        case EntryKind.signatureAdded, EntryKind.waiverGranted:
            return user.isAdmin ? "'\(user.id)' is an admin; admins never sign" : nil
        case EntryKind.topologyChecked:
            return user.roles.isEmpty || user.isEdge ? "'\(user.id)' holds no role in force that may record evidence" : nil
        case EntryKind.exportGenerated:
            return user.isAdmin || user.roles.contains(ApprovalPolicy.auditorRole) ? nil
                : "only admins and auditors generate exports"
        default:
            return nil
        }
    }

    /// `auth.failed` / `account.locked`: one signature by the log key named in `ledger.created`.
    private func systemAuthorityProblem(_ e: Entry) -> String? {
        guard e.actor == RecordIDs.systemActor else { return "written by auditctl, not '\(e.actor)'" }
        guard let logKey else { return "no log key is known (ledger.created missing or invalid)" }
        guard let signatures = EntryAuthority.signatures(of: e.payload), signatures.count == 1,
              signatures[0].keyID == logKey.keyID,
              logKey.verify(signature: signatures[0].signature, message: EntryAuthority.statementBytes(of: e))
        else { return "not signed by the log key: only auditctl itself writes this kind" }
        return nil
    }

    func registeredKey(_ e: Entry) -> Ed25519PublicKey? {
        guard let b64 = e.payload["publicKey"]?.stringValue, let key = try? Ed25519PublicKey(base64: b64),
              e.payload["keyId"]?.stringValue == key.keyID.prefixed else { return nil }
        return key
    }
}
