import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

extension RecordsState {
    /// Kinds whose actor proved their password to write them: each resets that person's
    /// count of consecutive failures.
    static let authenticatedKinds: Set<String> = authorityKinds

    /// Every kind `apply` reads; other entries cannot change the records state.
    public static let foldedKinds: [String] = [
        EntryKind.ledgerCreated, EntryKind.userAdded, EntryKind.userDeactivated, EntryKind.roleGranted,
        EntryKind.roleRevoked, EntryKind.credentialChanged, EntryKind.keyRegistered, EntryKind.keyRevoked,
        EntryKind.authFailed, EntryKind.accountLocked, EntryKind.accountUnlocked, EntryKind.policyUpdated,
        EntryKind.authorityConfirmed, EntryKind.clockCorrected, EntryKind.changeProposed, EntryKind.signatureAdded,
        EntryKind.changeApproved, EntryKind.changeRejected, EntryKind.waiverGranted, EntryKind.topologyChecked,
        EntryKind.exportGenerated, EntryKind.deploymentVerified, EntryKind.deploymentBlocked,
        EntryKind.problemAcknowledged,
    ]

    mutating func apply(_ e: Entry) {
        size = e.seq + 1
        if e.kind == EntryKind.ledgerCreated { return applyGenesis(e) }
        if let problem = authorityProblem(e) { return note(e, problem) }
        let p = e.payload
        switch e.kind {
        case EntryKind.userAdded: applyUserAdded(e)
        case EntryKind.userDeactivated:
            updateUser(e) { $0.active = false }
            record(e, "deactivated", detail: p["reason"]?.stringValue ?? "")
        case EntryKind.roleGranted, EntryKind.roleRevoked: applyRoleChange(e)
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
                    user.keys[i].revokedBy = e.actor
                }
            }
            record(e, "key revoked", detail: keyID.prefixed)
        case EntryKind.authFailed:
            if users[e.subject] != nil, let at = UTCTime.parse(e.time) { users[e.subject]?.failureTimes.append(at) }
        case EntryKind.accountLocked:
            updateUser(e) { $0.locked = true }
        case EntryKind.accountUnlocked:
            updateUser(e) { $0.locked = false; $0.failureTimes = [] }
            record(e, "unlocked", detail: p["reason"]?.stringValue ?? "")
        case EntryKind.policyUpdated: applyPolicyUpdated(e)
        case EntryKind.authorityConfirmed: applyConfirmation(e)
        case EntryKind.changeProposed: applyChangeProposed(e)
        case EntryKind.signatureAdded: applySignature(e)
        case EntryKind.changeApproved, EntryKind.changeRejected: applyDecision(e)
        case EntryKind.waiverGranted: applyWaiver(e)
        case EntryKind.deploymentVerified, EntryKind.deploymentBlocked: applyDeployment(e)
        case EntryKind.problemAcknowledged: applyAcknowledgement(e)
        default: break
        }
        if Self.authenticatedKinds.contains(e.kind) {
            users[e.actor]?.failureTimes = []
        }
    }

    func updateUserCheck(_ e: Entry) -> Bool { users[e.subject] != nil }

    mutating func updateUser(_ e: Entry, _ change: (inout UserRecord) -> Void) {
        guard var user = users[e.subject] else { return note(e, "unknown user '\(e.subject)'") }
        change(&user)
        users[e.subject] = user
    }

    /// Adds a line to the subject's access history.
    mutating func record(_ e: Entry, _ what: String, detail: String, user: String? = nil) {
        users[user ?? e.subject]?.history.append(AccessEvent(seq: e.seq, time: e.time, what: what, by: e.actor, detail: detail))
    }

    private mutating func applyUserAdded(_ e: Entry) {
        let p = e.payload
        guard users[e.subject] == nil else { return note(e, "user ID '\(e.subject)' already exists; IDs are never reused") }
        // The same ID rules as enrollment: a hand-written entry cannot take a reserved ID.
        if (try? RecordIDs.checkUserID(e.subject)) == nil || e.subject == Self.policySubject {
            return note(e, "'\(e.subject)' is not a valid user ID (reserved or malformed)")
        }
        guard let name = p["printedName"]?.stringValue, let roles = p["roles"]?.arrayValue?.compactMap(\.stringValue),
              let at = UTCTime.parse(e.time)
        else { return note(e, "malformed user.added payload") }
        let isEdge = roles == [ApprovalPolicy.edgeRole]
        let digest = p["passwordDigest"]?.stringValue.flatMap(Digest.init(prefixed:))
        guard isEdge || digest != nil else { return note(e, "malformed user.added payload (passwordDigest)") }
        var user = UserRecord(id: e.subject, printedName: name, roles: [], addedSeq: e.seq, enrolledBy: e.actor,
                              passwordDigest: digest ?? .zero, passwordSetAt: at,
                              mustChangePassword: isEdge ? false : (p["mustChangePassword"]?.boolValue ?? true))
        user.history.append(AccessEvent(seq: e.seq, time: e.time, what: "enrolled", by: e.actor,
                                        detail: "roles " + roles.sorted().joined(separator: ", ")))
        if isEdge {
            // An edge's key is enrolled with it (generated on the device); it needs confirming.
            guard let key = registeredKey(e) else { return note(e, "an edge is enrolled with its public key (publicKey/keyId)") }
            if users.values.contains(where: { $0.keys.contains { $0.keyID == key.keyID } }) {
                return note(e, "key \(key.keyID.prefixed) is already registered")
            }
            user.keys.append(KeyRecord(keyID: key.keyID, publicKey: key, registeredSeq: e.seq, confirmed: false))
        }
        users[e.subject] = user
        for role in Set(roles).sorted() { grant(role, to: e.subject, e) }  // sorted: the history is output
        if isEdge { settleKey(of: e.subject, registeredAt: e.seq, e) }
    }

    private mutating func applyRoleChange(_ e: Entry) {
        guard let role = e.payload["role"]?.stringValue else { return note(e, "missing 'role'") }
        guard users[e.subject] != nil else { return note(e, "unknown user '\(e.subject)'") }
        if e.kind == EntryKind.roleGranted {
            grant(role, to: e.subject, e)
        } else {
            users[e.subject]?.roles.remove(role)
            users[e.subject]?.pendingRoles[role] = nil
            record(e, "role revoked", detail: role)
        }
    }

    /// A grant takes effect only once enough other admins confirm it (none needed when the
    /// policy in force asks for 0 confirmations).
    private mutating func grant(_ role: String, to id: String, _ e: Entry) {
        record(e, "role granted", detail: role, user: id)
        if security.identityConfirmations == 0 {
            users[id]?.roles.insert(role)
        } else {
            users[id]?.pendingRoles[role] = PendingGrant(seq: e.seq, grantedBy: e.actor)
        }
    }

    private mutating func applyKeyRegistered(_ e: Entry) {
        guard let key = registeredKey(e) else { return note(e, "malformed key.registered payload (publicKey/keyId)") }
        if users.values.contains(where: { $0.keys.contains { $0.keyID == key.keyID } }) {
            return note(e, "key \(key.keyID.prefixed) is already registered")
        }
        guard var user = users[e.subject] else { return note(e, "unknown user '\(e.subject)'") }
        // Vouched for: signed by the owner's previous key that could carry authority.
        let signer = EntryAuthority.signatures(of: e.payload)?.first?.keyID
        let vouched = signer != key.keyID && user.keys.contains { $0.keyID == signer && $0.authoritative(at: e.seq) }
        // A key signing its own registration proves only that someone holds it, not that they
        // are the owner. While the owner has a key in force, only that key may introduce a
        // successor; otherwise anyone who can append would supersede it (silently disabling
        // the owner) and a colluding or malicious confirmer could put their own key in its place.
        if !vouched, let inForce = user.keys.last(where: { $0.authoritative(at: e.seq) }) {
            return note(e, "'\(user.id)' has key \(inForce.keyID.prefixed) in force: a new key is registered under its signature (or after an admin revoked it)")
        }
        if let last = user.keys.indices.last, user.keys[last].supersededSeq == nil { user.keys[last].supersededSeq = e.seq }
        user.keys.append(KeyRecord(keyID: key.keyID, publicKey: key, registeredSeq: e.seq, confirmed: vouched,
                                   confirmedSeq: vouched ? e.seq : nil))
        user.history.append(AccessEvent(seq: e.seq, time: e.time, what: "key registered", by: e.actor,
                                        detail: key.keyID.prefixed + (vouched ? " (vouched for by the previous key)" : "")))
        users[e.subject] = user
        if !vouched { settleKey(of: e.subject, registeredAt: e.seq, e) }
    }

    /// A key nobody vouched for is confirmed at once only when the policy asks for no confirmations.
    private mutating func settleKey(of id: String, registeredAt seq: Int, _ e: Entry) {
        guard security.identityConfirmations == 0, let i = users[id]?.keys.firstIndex(where: { $0.registeredSeq == seq }) else { return }
        users[id]?.keys[i].confirmed = true
        users[id]?.keys[i].confirmedSeq = seq
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
        if let decided = change.decision {
            return note(e, "'\(e.subject)' was already \(decided.approved ? "approved" : "rejected") at seq \(decided.seq)")
        }
        if let first = change.versions.first, first.content.authorID != e.actor {
            return note(e, "only the author of '\(e.subject)' (\(first.content.authorID)) may propose a new version")
        }
        change.versions.append(ChangeVersion(content: content, digest: digest, seq: e.seq, proposedAt: at, time: e.time))
        changes[e.subject] = change
    }
}
