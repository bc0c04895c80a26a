import ArgumentParser
import AuditCore
import AuditRecords

/// `auditctl user ...`: enrollment and administration; every change names the admin and reason.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Enroll and administer people (admins only; state lives in the ledger).",
        subcommands: [UserAdd.self, UserDeactivate.self, UserGrant.self, UserRevokeRole.self, UserUnlock.self, UserList.self, UserShow.self])
}

struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Enroll a person with a one-time password (the first user bootstraps as admin).",
        discussion: "On an empty ledger the first user enrolls themselves with the admin role and chooses their own password; give no --admin. Afterwards an admin enrolls people with a one-time password that they must replace with `auditctl key rotate` before signing.")
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
        let bootstrap = try recordsSync { () throws(RecordsError) in try service.state().users.isEmpty }
        let acting = bootstrap ? nil : try admin.credentials()
        let password = try CredentialPrompt.newPassword(file: initialPasswordFile, label: bootstrap ? "New password" : "One-time password")
        let entry = try await recordsCall { () async throws(RecordsError) in
            try await service.addUser(NewUser(id: id, printedName: name, roles: role, initialPassword: password),
                                      reason: admin.reason, knownRoles: Set(policy.roles), by: acting)
        }
        if json { return Output.json(Output.entryJSON(entry)) }
        print("added \(id) (\(name)) roles \(role.sorted().joined(separator: ",")) at seq \(entry.seq)\(bootstrap ? " [bootstrap admin]" : "; one-time password must be replaced with `auditctl key rotate`")")
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
        let service = try records.service(writing: false)
        let state = try recordsSync { () throws(RecordsError) in try service.state() }
        let users = state.userIDsInOrder.compactMap { state.users[$0] }
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
        print("  password set: \(UTCTime.format(u.passwordSetAt))\(u.mustChangePassword ? " (one-time; must be replaced)" : "")")
        print("  consecutive failures: \(u.consecutiveFailures)")
        for k in u.keys { print("  key \(k.keyID.prefixed) \(k.status) (registered seq \(k.registeredSeq))") }
    }
}
