import ArgumentParser
import AuditCore
import AuditCrypto
import AuditLedger
import Foundation

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a ledger, its log signing key and the first signed checkpoint.",
        discussion: """
        The log key is sealed with a password (Argon2id + XSalsa20-Poly1305) in the data \
        directory unless --key-out names a file for it, e.g. on a hardware token mount.
        """)

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "The log's origin, e.g. plant-a.example.com/auditctl (also the checkpoint key name).")
    var origin: String

    @Option(name: .customLong("key-out"), help: "Write the log key unsealed (mode 0600) to this file instead of sealing it.")
    var keyOut: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
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
        let store: LedgerStore
        do {
            store = try await ledger.home.initialize(origin: origin, protection: protection)
        } catch {
            throw CLIFailure(ledgerError: error)
        }
        let cp = try? store.latestCheckpoint()
        if json {
            Output.json(.object([
                "dataDir": .string(ledger.home.directory),
                "origin": .string(store.origin),
                "verifierKey": .string(store.verifierKey),
                "size": .number(Double(cp?.size ?? 0)),
            ]))
        } else {
            print("created ledger \(ledger.home.ledgerPath)")
            print("origin:       \(store.origin)")
            print("verifier key: \(store.verifierKey)  (also in \(ledger.home.verifierKeyPath); give it to auditors)")
            print("log key:      \(keyOut.map { "unsealed in \($0)" } ?? "sealed in \(ledger.home.sealedKeyPath)")")
        }
    }

    private func promptNewPassword() -> LedgerHome.LogKeySource? {
        guard Terminal.stdinIsTerminal,
              let a = Terminal.promptSecret("New log key password: "),
              let b = Terminal.promptSecret("Repeat the password: "), a == b else { return nil }
        return .password(a)
    }
}
