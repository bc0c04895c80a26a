import ArgumentParser
import AuditCore
import AuditRecords

/// `auditctl user ...`: enrollment and administration; every change names the admin and reason.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Enroll and administer people (admins only; state lives in the ledger).",
        subcommands: [UserAdd.self, UserConfirm.self, UserDeactivate.self, UserGrant.self, UserRevokeRole.self, UserUnlock.self,
                      UserList.self, UserShow.self, UserAccessReport.self])
}

struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Enroll a person with a one-time password (admin).",
        discussion: "The person replaces the one-time password with `auditctl key rotate`, which also enrolls their signing key. Their roles and that first key take effect once an admin other than you confirms their identity (`auditctl user confirm`). The founding admins are named at `auditctl init`.")
    @OptionGroup var records: RecordsOptions
    @Option(help: "New user ID (never reused).") var id: String
    @Option(help: "Printed name shown with every signature.") var name: String
    @Option(help: "A role from the approval policy (repeat for several).") var role: [String] = []
    @Option(name: .customLong("initial-password-file"), help: "File with the one-time password; asked twice otherwise.") var initialPasswordFile: String?
    @OptionGroup var admin: AdminOptions
    @Flag(help: "Print the entry as JSON.") var json = false

    func run() async throws {
        let (policy, _) = try records.loadPolicy()
        let service = try records.service()
        let acting = try admin.credentials()
        let password = try CredentialPrompt.newPassword(file: initialPasswordFile, label: "One-time password")
        let entry = try await recordsCall { () async throws(RecordsError) in
            try await service.addUser(NewUser(id: id, printedName: name, roles: role, initialPassword: password),
                                      reason: admin.reason, knownRoles: Set(policy.roles), by: acting)
        }
        if json { return Output.json(Output.entryJSON(entry)) }
        print("added \(id) (\(name)) roles \(role.sorted().joined(separator: ",")) at seq \(entry.seq); one-time password must be replaced with `auditctl key rotate`, then another admin confirms with `auditctl user confirm \(id)`")
    }
}

struct UserDeactivate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deactivate", abstract: "Deactivate a person for good (the ID is never reused).")
    @OptionGroup var records: RecordsOptions
    @Option(help: "User ID.") var id: String
    @OptionGroup var admin: AdminOptions

    func run() async throws {
        let e = try await AdminAction.run(records: records, admin: admin) { service, creds, reason throws(RecordsError) in
            try await service.deactivateUser(id, reason: reason, by: creds)
        }
        print("deactivated \(id) at seq \(e.seq)")
    }
}

struct UserGrant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant", abstract: "Grant a role.")
    @OptionGroup var records: RecordsOptions
    @Option(help: "User ID.") var id: String
    @Option(help: "Role from the approval policy.") var role: String
    @OptionGroup var admin: AdminOptions

    func run() async throws {
        let e = try await RoleChange.apply(role, granted: true, to: id, records: records, admin: admin)
        print("granted \(role) to \(id) at seq \(e.seq)")
    }
}

struct UserRevokeRole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke-role", abstract: "Revoke a role.")
    @OptionGroup var records: RecordsOptions
    @Option(help: "User ID.") var id: String
    @Option(help: "Role to revoke.") var role: String
    @OptionGroup var admin: AdminOptions

    func run() async throws {
        let e = try await RoleChange.apply(role, granted: false, to: id, records: records, admin: admin)
        print("revoked \(role) from \(id) at seq \(e.seq)")
    }
}

/// Every admin command: open the records service, authenticate the admin, act with a reason.
enum AdminAction {
    static func run(records: RecordsOptions, admin: AdminOptions,
                    _ act: (RecordsService, Credentials, String) async throws(RecordsError) -> Entry) async throws -> Entry {
        let service = try records.service()
        let creds = try admin.credentials()
        return try await recordsCall { () async throws(RecordsError) in try await act(service, creds, admin.reason) }
    }
}

/// Grant and revoke differ only in direction; roles must be declared by the approval policy.
enum RoleChange {
    static func apply(_ role: String, granted: Bool, to id: String, records: RecordsOptions, admin: AdminOptions) async throws -> Entry {
        let (policy, _) = try records.loadPolicy()
        return try await AdminAction.run(records: records, admin: admin) { service, creds, reason throws(RecordsError) in
            try await service.setRole(role, granted: granted, for: id, reason: reason, knownRoles: Set(policy.roles), by: creds)
        }
    }
}

struct UserUnlock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unlock", abstract: "Unlock an account locked after failed logins (password unchanged).")
    @OptionGroup var records: RecordsOptions
    @Option(help: "User ID.") var id: String
    @OptionGroup var admin: AdminOptions

    func run() async throws {
        let e = try await AdminAction.run(records: records, admin: admin) { service, creds, reason throws(RecordsError) in
            try await service.unlockUser(id, reason: reason, by: creds)
        }
        print("unlocked \(id) at seq \(e.seq)")
    }
}

struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List people.")
    @OptionGroup var records: RecordsOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let users = try records.usersInOrder()
        if json { return Output.json(.array(users.map(RecordsRendering.userJSON))) }
        for u in users {
            print("\(u.id)\t\(u.status)\t\(u.printedName)\t\(u.roles.sorted().joined(separator: ","))")
        }
    }
}

struct UserShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one person, their roles and keys.")
    @OptionGroup var records: RecordsOptions
    @Argument(help: "User ID.") var id: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let service = try records.service(writing: false)
        let state = try recordsSync { () throws(RecordsError) in try service.state() }
        guard let u = state.users[id] else { throw CLIFailure(records: .notFound(what: "user", id: id)) }
        if json { return Output.json(RecordsRendering.userJSON(u)) }
        print("\(u.id)  \(u.printedName)  [\(u.status)]")
        print("  roles: \(u.roles.sorted().joined(separator: ", "))")
        for (role, g) in u.pendingRoles.sorted(by: { $0.key < $1.key }) {
            print("  role \(role) awaiting confirmation (granted by \(g.grantedBy) at seq \(g.seq)\(g.confirmedBy.isEmpty ? "" : "; confirmed by " + g.confirmedBy.joined(separator: ", ")))")
        }
        print("  password set: \(UTCTime.format(u.passwordSetAt))\(u.mustChangePassword ? " (one-time; must be replaced)" : "")")
        print("  consecutive failures: \(u.consecutiveFailures)")
        for k in u.keys { print("  key \(k.keyID.prefixed) \(k.status) (registered seq \(k.registeredSeq))") }
    }
}

struct UserConfirm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm", abstract: "Confirm a person's identity: their pending roles and first signing key take effect (a second admin).",
        discussion: "Check the person's identity first (badge, in person: 21 CFR 11.100(b)) and say how in --reason. When their first key waits for confirmation, ask them for the key id `auditctl key rotate` printed and give it with --key. You cannot confirm someone you enrolled, a role you granted, or yourself: no single admin can create a signer.")
    @OptionGroup var records: RecordsOptions
    @Argument(help: "User ID.") var id: String
    @Option(name: .customLong("key"), help: "The key id the person read at `key rotate` (sha256:…, at least 8 hex digits).") var keyID: String?
    @OptionGroup var admin: AdminOptions
    @Flag(help: "Print the entry as JSON.") var json = false

    func run() async throws {
        let e = try await AdminAction.run(records: records, admin: admin) { service, creds, reason throws(RecordsError) in
            try await service.confirmIdentity(of: id, keyID: keyID, evidence: reason, by: creds)
        }
        if json { return Output.json(Output.entryJSON(e)) }
        print("confirmed \(id) (seqs \(e.payload["confirms"]?.arrayValue?.compactMap(\.int64Value).map(String.init).joined(separator: ", ") ?? "")) at seq \(e.seq)")
    }
}

struct UserAccessReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-report", abstract: "Who enrolled, granted, confirmed and revoked whom, with seqs (for access reviews).")
    @OptionGroup var records: RecordsOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let users = try records.usersInOrder()
        if json { return Output.json(.array(users.map(RecordsRendering.accessJSON))) }
        for u in users {
            print("\(u.id)  \(u.printedName)  [\(u.status)]  roles in force: \(u.roles.sorted().joined(separator: ", "))")
            for h in u.history { print("  seq \(h.seq)  \(h.time)  \(h.what) by \(h.by)\(h.detail.isEmpty ? "" : ": " + h.detail)") }
        }
    }
}

extension RecordsOptions {
    /// Everyone the checked state knows, in enrollment order (list and access report).
    func usersInOrder() throws -> [UserRecord] {
        let service = try service(writing: false)
        let state = try recordsSync { () throws(RecordsError) in try service.state() }
        return state.userIDsInOrder.compactMap { state.users[$0] }
    }
}
