import ArgumentParser
import AuditCore
import AuditCrypto
import AuditLedger
import AuditRecords
import Foundation

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a ledger, its log signing key, its founding admins and the first signed checkpoint.",
        discussion: """
        The log key is sealed with a password (Argon2id + XSalsa20-Poly1305) in the data \
        directory unless --key-out names a new file for it, e.g. on a hardware token mount. \
        Name at least two founding admins (--admin ID --admin-name NAME, repeated, in the same \
        order as --admin-password-file, or typed on the terminal): each gets a signing key \
        sealed under their own password, and all of them sign ledger.created, the root of \
        every later authority. No single admin can create a signer: a second admin confirms.
        """)

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "The log's origin, e.g. plant-a.example.com/auditctl (also the checkpoint key name).")
    var origin: String

    @Option(name: .customLong("key-out"), help: "Write the log key unsealed (mode 0600) to this file instead of sealing it.")
    var keyOut: String?

    @Option(name: .customLong("admin"), help: "A founding admin's user ID (repeat; at least two).")
    var admins: [String] = []

    @Option(name: .customLong("admin-name"), help: "The founding admin's printed name (repeat, same order as --admin).")
    var adminNames: [String] = []

    @Option(name: .customLong("admin-password-file"), help: "File with the founding admin's password (repeat, same order); asked twice otherwise.")
    var adminPasswordFiles: [String] = []

    @Flag(help: "Print the result as JSON.")
    var json = false

    private func founders() throws -> [Genesis.Founder] {
        guard admins.count >= 2 else {
            throw CLIFailure("name at least two founding admins (--admin ID --admin-name NAME, twice)",
                             hint: "a second admin must confirm every new signer, so one admin alone cannot run a ledger; nothing was created", code: .usage)
        }
        guard adminNames.count == admins.count, adminPasswordFiles.isEmpty || adminPasswordFiles.count == admins.count else {
            throw CLIFailure("give one --admin-name (and one --admin-password-file, if any) per --admin, in the same order",
                             hint: "nothing was created", code: .usage)
        }
        return try admins.indices.map { i in
            let password = try CredentialPrompt.newPassword(file: adminPasswordFiles.isEmpty ? nil : adminPasswordFiles[i],
                                                            label: "Password for \(admins[i])")
            return Genesis.Founder(id: admins[i], printedName: adminNames[i], password: password)
        }
    }

    func run() async throws {
        let founders = try founders()
        let protection: LedgerHome.KeyProtection
        if let keyOut {
            protection = .plainKeyFile(path: keyOut)
        } else {
            guard let source = try ledger.keySource(promptIfInteractive: false) ?? promptNewPassword(),
                  case .password(let password) = source else {
                throw CLIFailure("a password is needed to seal the log key",
                                 hint: "give --log-key-password-file FILE (or AUDITCTL_LOG_KEY_PASSWORD_FILE), or --key-out FILE to keep the key unsealed",
                                 code: .usage)
            }
            guard password.count >= 12 else {
                throw CLIFailure("the log key password is shorter than 12 characters",
                                 hint: "choose a longer password; nothing was created", code: .malformedInput)
            }
            protection = .sealed(password: password, parameters: .interactive)
        }
        let configuration = ProcessInfo.processInfo.environment["AUDITCTL_ARGON2"] == "testing" ? RecordsConfiguration.testing : RecordsConfiguration()
        let store = try await recordsCall { () async throws(RecordsError) in
            try await Genesis.create(home: ledger.home, origin: origin, protection: protection, founders: founders,
                                     configuration: configuration)
        }
        let cp = try? store.latestCheckpoint()
        if json {
            Output.json(.object([
                "dataDir": .string(ledger.home.directory),
                "origin": .string(store.origin),
                "verifierKey": .string(store.verifierKey),
                "size": .number(Double(cp?.size ?? 0)),
                "founders": .array(founders.map { .string($0.id) }),
            ]))
        } else {
            print("created ledger \(ledger.home.ledgerPath)")
            print("origin:       \(store.origin)")
            print("verifier key: \(store.verifierKey)  (also in \(ledger.home.verifierKeyPath); give it to auditors)")
            print("log key:      \(keyOut.map { "unsealed in \($0)" } ?? "sealed in \(ledger.home.sealedKeyPath)")")
            print("founders:     \(founders.map(\.id).joined(separator: ", ")) (admins; each signed ledger.created)")
        }
    }

    private func promptNewPassword() -> LedgerHome.LogKeySource? {
        guard Terminal.stdinIsTerminal,
              let a = Terminal.promptSecret("New log key password: "),
              let b = Terminal.promptSecret("Repeat the password: "), a == b else { return nil }
        return .password(a)
    }
}
