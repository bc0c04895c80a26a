import ArgumentParser
import AuditCore
import AuditRecords

/// `auditctl key ...`: the owner's signing key and password; admins revoke lost keys.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Rotate your signing key and password, or revoke a lost key (admin).",
        subcommands: [KeyRotate.self, KeyRevoke.self])
}

struct KeyRotate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate", abstract: "Set a new password and a new signing key sealed under it (also first login).",
        discussion: "Asks for your user ID and current password, then the new password twice. The new private key is sealed with the new password; the old key stops signing, its past signatures stay valid.")
    @OptionGroup var records: RecordsOptions
    @Flag(help: "Print as JSON.") var json = false
    @OptionGroup var user: UserCredentialOptions
    @Option(name: .customLong("new-password-file"), help: "File with the new password; asked twice otherwise.") var newPasswordFile: String?
    @Option(help: "Why (recorded).") var reason = "password and key rotation"

    func run() async throws {
        let service = try records.service()
        let creds = try user.credentials()
        let newPassword = try CredentialPrompt.newPassword(file: newPasswordFile, label: "New password")
        let key = try await recordsCall { () async throws(RecordsError) in
            try await service.rotateKey(creds, newPassword: newPassword, reason: reason)
        }
        if json {
            return Output.json(["user": .string(creds.userID), "keyId": .string(key.keyID.prefixed), "seq": .number(Double(key.registeredSeq))])
        }
        print("new signing key \(key.keyID.prefixed) for \(creds.userID) registered at seq \(key.registeredSeq)")
    }
}

struct KeyRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a user's key (default: the active one).")
    @OptionGroup var records: RecordsOptions
    @Flag(help: "Print as JSON.") var json = false
    @Option(help: "Owner's user ID.") var id: String
    @Option(name: .customLong("key"), help: "Key id (sha256:...); default the active key.") var keyID: String?
    @OptionGroup var admin: AdminOptions

    func run() async throws {
        var digest: Digest?
        if let keyID {
            guard let d = Digest(prefixed: keyID) else {
                throw CLIFailure("--key '\(keyID)' is not a sha256:<64 hex> key id", hint: "`auditctl user show \(id)` lists the keys", code: .malformedInput)
            }
            digest = d
        }
        let service = try records.service()
        let creds = try admin.credentials()
        let e = try await recordsCall { () async throws(RecordsError) in
            try await service.revokeKey(of: id, keyID: digest, reason: admin.reason, by: creds)
        }
        if json { return Output.json(Output.entryJSON(e)) }
        print("revoked key \(e.payload["keyId"]?.stringValue ?? "") of \(id) at seq \(e.seq)")
    }
}
