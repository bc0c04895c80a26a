import AuditCore
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
    /// Enrolls a person. On a ledger with no users this is the bootstrap: `admin` must be
    /// nil, the person must get the admin role and chooses their own password. Otherwise an
    /// admin acts and the password is one-time. IDs are never reused, even after deactivation.
    @discardableResult
    public func addUser(_ new: NewUser, reason: String, knownRoles: Set<String>, by admin: Credentials?) async throws(RecordsError) -> Entry {
        try RecordIDs.checkUserID(new.id)
        try RecordIDs.checkText(new.printedName, field: "printed name", maxBytes: Limits.maxPrintedNameBytes)
        try RecordIDs.checkText(reason, field: "reason")
        let roles = try checkRoles(new.roles, knownRoles: knownRoles, allowEmpty: false)
        try checkNewPassword(new.initialPassword, for: new.id)
        let (lock, state) = try locked()
        defer { withExtendedLifetime(lock) {} }
        let actor: String
        let bootstrap = state.users.isEmpty
        if bootstrap {
            guard admin == nil || admin?.userID == new.id else {
                throw .refused("the ledger has no users yet; the first user enrolls themselves as admin (no --admin)")
            }
            guard roles.contains(ApprovalPolicy.adminRole) else {
                throw .refused("the first user must hold the '\(ApprovalPolicy.adminRole)' role, so someone can enroll the others")
            }
            actor = new.id
        } else {
            guard let admin else { throw .invalidInput(field: "admin", reason: "an admin ID and password are required") }
            actor = try await authenticateAdmin(admin, in: state, operation: "enroll users").id
            guard state.users[new.id] == nil else {
                throw .conflict("user ID '\(new.id)' is already taken (\(state.users[new.id]!.status)); IDs are never reused")
            }
        }
        let digest = try hashPassword(new.initialPassword, user: new.id)
        var payload: [String: JSONValue] = [
            "printedName": .string(new.printedName), "roles": .array(roles.map(JSONValue.string)),
            "passwordDigest": .string(digest.prefixed), "mustChangePassword": .bool(!bootstrap), "reason": .string(reason),
        ]
        if bootstrap { payload["bootstrap"] = true }
        return try await append([EntryDraft(kind: EntryKind.userAdded, actor: actor, subject: new.id, payload: .object(payload))])[0]
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

    /// Grants (`grant == true`) or revokes a role. Admins never change their own roles, so
    /// one admin cannot turn themselves into a signer.
    @discardableResult
    public func setRole(_ role: String, granted: Bool, for id: String, reason: String, knownRoles: Set<String>,
                        by admin: Credentials) async throws(RecordsError) -> Entry {
        try RecordIDs.checkText(reason, field: "reason")
        _ = try checkRoles([role], knownRoles: knownRoles, allowEmpty: false)
        return try await adminAction(on: id, by: admin, operation: granted ? "grant roles" : "revoke roles") { user, actor throws(RecordsError) in
            guard actor.id != id else { throw .refused("an admin cannot change their own roles; ask another admin") }
            guard user.active else { throw .conflict("'\(id)' is deactivated") }
            guard user.roles.contains(role) != granted else {
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

    /// Shared shape of admin actions on one user: lock, replay, authenticate the admin,
    /// find the user, let `build` check and draft, append.
    func adminAction(on id: String, by admin: Credentials, operation: String,
                     _ build: (UserRecord, UserRecord) throws(RecordsError) -> [EntryDraft]) async throws(RecordsError) -> Entry {
        let (lock, state) = try locked()
        defer { withExtendedLifetime(lock) {} }
        guard let user = state.users[id] else { throw .notFound(what: "user", id: id) }
        let actor = try await authenticateAdmin(admin, in: state, operation: operation)
        return try await append(try build(user, actor))[0]
    }

    func checkRoles(_ roles: [String], knownRoles: Set<String>, allowEmpty: Bool) throws(RecordsError) -> [String] {
        guard allowEmpty || !roles.isEmpty else { throw .invalidInput(field: "role", reason: "give at least one role") }
        guard roles.count <= Limits.maxRolesPerUser else { throw .invalidInput(field: "role", reason: "more than \(Limits.maxRolesPerUser) roles") }
        let known = knownRoles.union([ApprovalPolicy.adminRole])
        for role in roles where !known.contains(role) {
            throw .invalidInput(field: "role", reason: "unknown role '\(role)' (the approval policy declares: \(known.sorted().joined(separator: ", ")))")
        }
        return Array(Set(roles)).sorted()
    }
}
