import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

/// A person to enroll.
public struct NewUser: Sendable {
    public let id: String
    public let printedName: String
    public let roles: [String]
    /// Set by the admin and known to them, so it is one-time: it must be replaced (by the
    /// user, with `key rotate`) before the user can sign anything.
    public let initialPassword: String
    public init(id: String, printedName: String, roles: [String], initialPassword: String) {
        self.id = id
        self.printedName = printedName
        self.roles = roles
        self.initialPassword = initialPassword
    }
}

extension RecordsService {
    /// Enrolls a person with a one-time password. Their roles take effect once another
    /// admin confirms them (`confirmIdentity`); IDs are never reused, even after deactivation.
    /// The first admins are not enrolled here: `ledger.created` binds them (`Genesis`).
    @discardableResult
    public func addUser(_ new: NewUser, reason: String, knownRoles: Set<String>, by admin: Credentials) async throws(RecordsError) -> Entry {
        try RecordIDs.checkUserID(new.id)
        try RecordIDs.checkText(new.printedName, field: "printed name", maxBytes: Limits.maxPrintedNameBytes)
        try RecordIDs.checkText(reason, field: "reason")
        let roles = try checkRoles(new.roles, knownRoles: knownRoles, allowEmpty: false)
        guard !roles.contains(ApprovalPolicy.edgeRole) else {
            throw .invalidInput(field: "role", reason: "edges are enrolled with their public key (`auditctl edge enroll`)")
        }
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        try checkNewPassword(new.initialPassword, for: new.id, security: state.security)
        let actor = try await authenticateAdmin(admin, in: state, operation: "enroll users")
        guard state.users[new.id] == nil else {
            throw .conflict("user ID '\(new.id)' is already taken (\(state.users[new.id]!.status)); IDs are never reused")
        }
        let digest = try hashPassword(new.initialPassword, user: new.id)
        return try await append([EntryDraft(kind: EntryKind.userAdded, actor: actor.id, subject: new.id, payload: [
            "printedName": .string(new.printedName), "roles": .array(roles.map(JSONValue.string)),
            "passwordDigest": .string(digest.prefixed), "mustChangePassword": true, "reason": .string(reason),
        ], authority: actor.authority)])[0]
    }

    /// Enrolls an edge device by the public key it generated; it signs deployment decisions
    /// only, once another admin confirms it.
    @discardableResult
    public func addEdge(id: String, printedName: String, publicKey: Ed25519PublicKey, reason: String,
                        by admin: Credentials) async throws(RecordsError) -> Entry {
        try RecordIDs.checkUserID(id, field: "edge ID")
        try RecordIDs.checkText(printedName, field: "printed name", maxBytes: Limits.maxPrintedNameBytes)
        try RecordIDs.checkText(reason, field: "reason")
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        let actor = try await authenticateAdmin(admin, in: state, operation: "enroll edges")
        guard state.users[id] == nil else { throw .conflict("ID '\(id)' is already taken; IDs are never reused") }
        if state.users.values.contains(where: { $0.keys.contains { $0.keyID == publicKey.keyID } }) {
            throw .conflict("key \(publicKey.keyID.prefixed) is already registered")
        }
        return try await append([EntryDraft(kind: EntryKind.userAdded, actor: actor.id, subject: id, payload: [
            "printedName": .string(printedName), "roles": [.string(ApprovalPolicy.edgeRole)],
            "publicKey": .string(publicKey.base64), "keyId": .string(publicKey.keyID.prefixed), "reason": .string(reason),
        ], authority: actor.authority)])[0]
    }

    /// Deactivates a person for good; their ID stays taken and their past signatures stay valid.
    @discardableResult
    public func deactivateUser(_ id: String, reason: String, by admin: Credentials) async throws(RecordsError) -> Entry {
        try RecordIDs.checkText(reason, field: "reason")
        return try await adminAction(on: id, by: admin, operation: "deactivate users") { user, actor throws(RecordsError) in
            guard user.active else { throw .conflict("'\(id)' is already deactivated") }
            guard actor.id != id else { throw .refused("an admin cannot deactivate themselves; ask another admin") }
            return [EntryDraft(kind: EntryKind.userDeactivated, actor: actor.id, subject: id, payload: ["reason": .string(reason)])]
        }
    }

    /// Grants (`grant == true`) or revokes a role. Admins never change their own roles, and a
    /// grant takes effect only when another admin confirms it.
    @discardableResult
    public func setRole(_ role: String, granted: Bool, for id: String, reason: String, knownRoles: Set<String>,
                        by admin: Credentials) async throws(RecordsError) -> Entry {
        try RecordIDs.checkText(reason, field: "reason")
        _ = try checkRoles([role], knownRoles: knownRoles, allowEmpty: false)
        return try await adminAction(on: id, by: admin, operation: granted ? "grant roles" : "revoke roles") { user, actor throws(RecordsError) in
            guard actor.id != id else { throw .refused("an admin cannot change their own roles; ask another admin") }
            guard user.active else { throw .conflict("'\(id)' is deactivated") }
            guard !user.isEdge, role != ApprovalPolicy.edgeRole else { throw .refused("edges hold the edge role only") }
            let holds = user.roles.contains(role) || user.pendingRoles[role] != nil
            guard holds != granted else {
                throw .conflict("'\(id)' \(granted ? "already holds" : "does not hold") the role '\(role)'")
            }
            return [EntryDraft(kind: granted ? EntryKind.roleGranted : EntryKind.roleRevoked, actor: actor.id, subject: id,
                               payload: ["role": .string(role), "reason": .string(reason)])]
        }
    }

    /// Unlocks a locked account. The password is unchanged: unlocking never gives the admin a way in.
    @discardableResult
    public func unlockUser(_ id: String, reason: String, by admin: Credentials) async throws(RecordsError) -> Entry {
        try RecordIDs.checkText(reason, field: "reason")
        return try await adminAction(on: id, by: admin, operation: "unlock accounts") { user, actor throws(RecordsError) in
            guard user.locked else { throw .conflict("'\(id)' is not locked") }
            return [EntryDraft(kind: EntryKind.accountUnlocked, actor: actor.id, subject: id, payload: ["reason": .string(reason)])]
        }
    }

    /// A second admin confirms, after checking the person's identity (21 CFR 11.100(b)),
    /// everything of theirs still waiting: role grants and an unvouched signing key. The
    /// confirming admin may not be the person, their enroller, or the granter of a role.
    /// A waiting key is confirmed only when `keyID` names it (at least 8 hex digits of the
    /// id the person saw at `key rotate`), so the admin vouches for the key the person holds,
    /// not for one someone else registered in their name.
    @discardableResult
    public func confirmIdentity(of id: String, keyID: String? = nil, evidence: String,
                                by admin: Credentials) async throws(RecordsError) -> Entry {
        try RecordIDs.checkText(evidence, field: "evidence")
        return try await adminAction(on: id, by: admin, operation: "confirm identities") { user, actor throws(RecordsError) in
            guard actor.id != id else { throw .refused("nobody confirms their own identity") }
            guard actor.id != user.enrolledBy else {
                throw .refused("'\(actor.id)' enrolled '\(id)' and knew the one-time password; another admin must confirm")
            }
            var seqs: [Int] = []
            for grant in user.pendingRoles.values where grant.grantedBy != actor.id && !grant.confirmedBy.contains(actor.id) {
                seqs.append(grant.seq)
            }
            var payload: [String: JSONValue] = ["evidence": .string(evidence)]
            if let key = user.activeKey, !key.confirmed, !key.confirmedBy.contains(actor.id) {
                guard user.revokerOfKeyInForce(before: key.registeredSeq) != actor.id else {
                    throw .refused("'\(actor.id)' revoked the previous key of '\(id)'; another admin must confirm the new one")
                }
                guard let typed = keyID?.lowercased().replacingOccurrences(of: "sha256:", with: ""), typed.count >= 8,
                      key.keyID.hex.hasPrefix(typed) else {
                    throw .invalidInput(field: "key", reason: "'\(id)' has a key waiting for confirmation; give the key id they read at `auditctl key rotate` (at least 8 hex digits) so you confirm the key they hold, not one registered in their name")
                }
                seqs.append(key.registeredSeq)
                payload["keyId"] = .string(key.keyID.prefixed)
            }
            guard !seqs.isEmpty else {
                throw .conflict("nothing of '\(id)' is waiting for a confirmation by '\(actor.id)'")
            }
            payload["confirms"] = .array(Set(seqs).sorted().map { .number(Double($0)) })
            return [EntryDraft(kind: EntryKind.authorityConfirmed, actor: actor.id, subject: id, payload: .object(payload))]
        }
    }

    /// Shared shape of admin actions on one user: lock, replay, authenticate the admin and
    /// open their key, find the user, let `build` check and draft, append signed.
    func adminAction(on id: String, by admin: Credentials, operation: String,
                     _ build: (UserRecord, Actor) throws(RecordsError) -> [EntryDraft]) async throws(RecordsError) -> Entry {
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        guard let user = state.users[id] else { throw .notFound(what: "user", id: id) }
        let actor = try await authenticateAdmin(admin, in: state, operation: operation)
        let drafts = try build(user, actor).map { d in
            var signed = d
            signed.authority = actor.authority
            return signed
        }
        return try await append(drafts)[0]
    }

    func checkRoles(_ roles: [String], knownRoles: Set<String>, allowEmpty: Bool) throws(RecordsError) -> [String] {
        guard allowEmpty || !roles.isEmpty else { throw .invalidInput(field: "role", reason: "give at least one role") }
        guard roles.count <= Limits.maxRolesPerUser else { throw .invalidInput(field: "role", reason: "more than \(Limits.maxRolesPerUser) roles") }
        let known = knownRoles.union(ApprovalPolicy.builtInRoles)
        for role in roles where !known.contains(role) {
            throw .invalidInput(field: "role", reason: "unknown role '\(role)' (the approval policy declares: \(known.sorted().joined(separator: ", ")))")
        }
        return Array(Set(roles)).sorted()
    }
}
