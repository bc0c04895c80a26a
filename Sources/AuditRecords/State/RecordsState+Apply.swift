import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

extension RecordsState {
    /// Kinds whose actor proved their password to write them: each resets that person's
    /// count of consecutive failures.
    static let authenticatedKinds: Set<String> = [
        EntryKind.userAdded, EntryKind.userDeactivated, EntryKind.roleGranted, EntryKind.roleRevoked,
        EntryKind.keyRegistered, EntryKind.keyRevoked, EntryKind.credentialChanged, EntryKind.accountUnlocked,
        EntryKind.changeProposed, EntryKind.signatureAdded, EntryKind.policyUpdated, EntryKind.waiverGranted,
    ]

    /// Every kind `apply` reads; other entries cannot change the records state.
    public static let foldedKinds: [String] = [
        EntryKind.userAdded, EntryKind.userDeactivated, EntryKind.roleGranted, EntryKind.roleRevoked,
        EntryKind.credentialChanged, EntryKind.keyRegistered, EntryKind.keyRevoked, EntryKind.authFailed,
        EntryKind.accountLocked, EntryKind.accountUnlocked, EntryKind.policyUpdated, EntryKind.changeProposed,
        EntryKind.signatureAdded, EntryKind.changeApproved, EntryKind.changeRejected, EntryKind.waiverGranted,
    ]

    mutating func apply(_ e: Entry) {
        size = e.seq + 1
        let p = e.payload
        switch e.kind {
        case EntryKind.userAdded: applyUserAdded(e)
        case EntryKind.userDeactivated:
            updateUser(e) { $0.active = false }
        case EntryKind.roleGranted, EntryKind.roleRevoked:
            guard let role = p["role"]?.stringValue else { return note(e, "missing 'role'") }
            updateUser(e) { if e.kind == EntryKind.roleGranted { $0.roles.insert(role) } else { $0.roles.remove(role) } }
        case EntryKind.credentialChanged:
            guard let digest = p["passwordDigest"]?.stringValue.flatMap(Digest.init(prefixed:)), let at = UTCTime.parse(e.time)
            else { return note(e, "missing or malformed 'passwordDigest'") }
            updateUser(e) {
                $0.passwordDigest = digest
                $0.passwordSetAt = at
                $0.mustChangePassword = p["mustChangePassword"]?.boolValue ?? false
            }
        case EntryKind.keyRegistered: applyKeyRegistered(e)
        case EntryKind.keyRevoked:
            guard let keyID = p["keyId"]?.stringValue.flatMap(Digest.init(prefixed:)) else { return note(e, "missing 'keyId'") }
            updateUser(e) { user in
                guard let i = user.keys.firstIndex(where: { $0.keyID == keyID }) else { return }
                if user.keys[i].revokedSeq == nil {
                    user.keys[i].revokedSeq = e.seq
                    user.keys[i].revokeReason = p["reason"]?.stringValue
                }
            }
        case EntryKind.authFailed:
            if users[e.subject] != nil { users[e.subject]?.consecutiveFailures += 1 }
        case EntryKind.accountLocked:
            updateUser(e) { $0.locked = true }
        case EntryKind.accountUnlocked:
            updateUser(e) { $0.locked = false; $0.consecutiveFailures = 0 }
        case EntryKind.policyUpdated:
            guard p["policy"]?.stringValue == "approval" else { break }
            guard let digest = p["digest"]?.stringValue.flatMap(Digest.init(prefixed:)) else { return note(e, "missing 'digest'") }
            policyDigest = digest
            policySeq = e.seq
        case EntryKind.changeProposed: applyChangeProposed(e)
        case EntryKind.signatureAdded: applySignature(e)
        case EntryKind.changeApproved, EntryKind.changeRejected: applyDecision(e)
        case EntryKind.waiverGranted: applyWaiver(e)
        default: break
        }
        if Self.authenticatedKinds.contains(e.kind) {
            users[e.actor]?.consecutiveFailures = 0
        }
    }

    private mutating func updateUser(_ e: Entry, _ change: (inout UserRecord) -> Void) {
        guard var user = users[e.subject] else { return note(e, "unknown user '\(e.subject)'") }
        change(&user)
        users[e.subject] = user
    }

    private mutating func applyUserAdded(_ e: Entry) {
        let p = e.payload
        guard users[e.subject] == nil else { return note(e, "user ID '\(e.subject)' already exists; IDs are never reused") }
        guard let name = p["printedName"]?.stringValue, let roles = p["roles"]?.arrayValue?.compactMap(\.stringValue),
              let digest = p["passwordDigest"]?.stringValue.flatMap(Digest.init(prefixed:)), let at = UTCTime.parse(e.time)
        else { return note(e, "malformed user.added payload") }
        let bootstrap = users.isEmpty && e.actor == e.subject
        guard bootstrap || users[e.actor]?.isAdmin == true else {
            return note(e, "added by '\(e.actor)', who is not an admin")
        }
        users[e.subject] = UserRecord(id: e.subject, printedName: name, roles: Set(roles), addedSeq: e.seq,
                                      passwordDigest: digest, passwordSetAt: at,
                                      mustChangePassword: p["mustChangePassword"]?.boolValue ?? true)
    }

    private mutating func applyKeyRegistered(_ e: Entry) {
        guard let keyB64 = e.payload["publicKey"]?.stringValue, let key = try? Ed25519PublicKey(base64: keyB64),
              e.payload["keyId"]?.stringValue == key.keyID.prefixed
        else { return note(e, "malformed key.registered payload (publicKey/keyId)") }
        guard e.actor == e.subject else { return note(e, "a key can only be registered by its owner") }
        if users.values.contains(where: { $0.keys.contains { $0.keyID == key.keyID } }) {
            return note(e, "key \(key.keyID.prefixed) is already registered")
        }
        updateUser(e) { user in
            if let last = user.keys.indices.last, user.keys[last].supersededSeq == nil { user.keys[last].supersededSeq = e.seq }
            user.keys.append(KeyRecord(keyID: key.keyID, publicKey: key, registeredSeq: e.seq))
        }
    }

    private mutating func applyChangeProposed(_ e: Entry) {
        guard let record = e.payload["record"], let content = ChangeRecordContent(json: record),
              content.changeID == e.subject, content.authorID == e.actor, let at = UTCTime.parse(e.time)
        else { return note(e, "malformed change.proposed payload") }
        let digest = content.digest
        guard e.payload["digest"]?.stringValue == digest.prefixed else { return note(e, "'digest' is not the record's digest") }
        var change = changes[e.subject] ?? ChangeRecord(id: e.subject)
        guard content.previous == change.versions.last?.digest else {
            return note(e, "'previous' does not name the change's latest version")
        }
        change.versions.append(ChangeVersion(content: content, digest: digest, seq: e.seq, proposedAt: at, time: e.time))
        changes[e.subject] = change
    }
}
