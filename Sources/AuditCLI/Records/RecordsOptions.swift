import ArgumentParser
import AuditCore
import AuditCrypto
import AuditLedger
import AuditPolicy
import AuditRecords
import Foundation

/// Data directory, approval policy and credential rules shared by the records commands.
/// Order of precedence: flags, then `AUDITCTL_*` environment variables, then defaults.
struct RecordsOptions: ParsableArguments {
    @OptionGroup var ledger: LedgerOptions

    @Option(name: .customLong("policy"), help: "Approval policy file (default: $AUDITCTL_APPROVAL_POLICY or Policies/approval.yaml).")
    var policyPath: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var policyFile: String { policyPath ?? environment["AUDITCTL_APPROVAL_POLICY"] ?? "Policies/approval.yaml" }

    /// Argon2id costs. `AUDITCTL_ARGON2=testing` drops them to libsodium's minimum for the
    /// test suite only; it affects only the cost of hashes made by this run. Security limits
    /// (lockout, password age and length, clock tolerance) come from the recorded policy,
    /// never from the environment.
    func configuration() throws -> RecordsConfiguration {
        environment["AUDITCTL_ARGON2"] == "testing" ? RecordsConfiguration.testing : RecordsConfiguration()
    }

    func service(writing: Bool = true) throws -> RecordsService {
        let store = writing ? try ledger.openForWriting() : try ledger.openForReading()
        return RecordsService(store: store, directory: ledger.home.directory, configuration: try configuration())
    }

    /// The policy file, loaded and validated; its bytes for recording.
    func loadPolicy() throws -> (ApprovalPolicy, [UInt8]) {
        let path = policyFile
        let bytes: [UInt8]
        do { bytes = try InputFile.read(path, limit: Limits.maxYAMLBytes, what: "approval policy") } catch let failure as CLIFailure {
            throw failure.code == .notFound
                ? CLIFailure(failure.message, hint: "pass --policy FILE or set AUDITCTL_APPROVAL_POLICY", code: .notFound) : failure
        }
        do {
            return (try ApprovalPolicy.load(bytes: bytes, file: path), bytes)
        } catch {
            throw CLIFailure(error.description, hint: "fix the policy file (see Docs/approval-policy.md); nothing was written", code: .malformedInput)
        }
    }
}

/// Who is acting: ID from a flag or the terminal, password from a file or the terminal
/// (never echoed). Both components are always required.
enum CredentialPrompt {
    static func credentials(id: String?, idLabel: String, passwordFile: String?, passwordEnv: String,
                            passwordLabel: String) throws -> Credentials {
        let env = ProcessInfo.processInfo.environment
        guard let userID = id ?? (Terminal.stdinIsTerminal ? Terminal.prompt(idLabel) : nil), !userID.isEmpty else {
            throw CLIFailure("no user ID given", hint: "pass the ID flag or run on a terminal to be asked", code: .usage)
        }
        if let file = passwordFile ?? env[passwordEnv] {
            return Credentials(userID: userID, password: try SecretFile.read(file, what: "password"))
        }
        guard Terminal.stdinIsTerminal, let password = Terminal.promptSecret(passwordLabel) else {
            throw CLIFailure("no password given", hint: "run on a terminal to be asked, or use a password file (\(passwordEnv))", code: .usage)
        }
        return Credentials(userID: userID, password: password)
    }

    /// A new password from a file, or typed twice on the terminal.
    static func newPassword(file: String?, label: String) throws -> String {
        if let file { return try SecretFile.read(file, what: label) }
        guard Terminal.stdinIsTerminal, let first = Terminal.promptSecret("\(label): "),
              let second = Terminal.promptSecret("Repeat \(label.lowercased()): ") else {
            throw CLIFailure("no \(label.lowercased()) given", hint: "run on a terminal to be asked, or pass a password file", code: .usage)
        }
        guard first == second else { throw CLIFailure("the two entries differ", hint: "nothing was written; try again", code: .usage) }
        return first
    }
}

/// Admin authentication for administrative commands.
struct AdminOptions: ParsableArguments {
    @Option(name: .customLong("admin"), help: "Acting admin's user ID (asked on the terminal if omitted).")
    var adminID: String?

    @Option(name: .customLong("admin-password-file"), help: "File with the admin's password (or $AUDITCTL_ADMIN_PASSWORD_FILE); asked without echo otherwise.")
    var adminPasswordFile: String?

    @Option(help: "Why (recorded in the ledger).")
    var reason: String

    func credentials() throws -> Credentials {
        try CredentialPrompt.credentials(id: adminID, idLabel: "Admin user ID: ", passwordFile: adminPasswordFile,
                                         passwordEnv: "AUDITCTL_ADMIN_PASSWORD_FILE", passwordLabel: "Admin password: ")
    }
}

/// Signer / author authentication.
struct UserCredentialOptions: ParsableArguments {
    @Option(name: .customLong("user"), help: "Your user ID (asked on the terminal if omitted).")
    var userID: String?

    @Option(name: .customLong("password-file"), help: "File with your password (or $AUDITCTL_PASSWORD_FILE); asked without echo otherwise.")
    var passwordFile: String?

    func credentials() throws -> Credentials {
        try CredentialPrompt.credentials(id: userID, idLabel: "User ID: ", passwordFile: passwordFile,
                                         passwordEnv: "AUDITCTL_PASSWORD_FILE", passwordLabel: "Password: ")
    }
}

extension CLIFailure {
    /// The one place records errors become user-facing lines and exit codes.
    init(records e: RecordsError) {
        switch e {
        case .invalidInput:
            self.init(e.description, hint: "nothing was written; see --help", code: .malformedInput)
        case .notFound(let what, _):
            self.init(e.description, hint: what == "change" ? "`auditctl change list` shows the changes" : "`auditctl user list` shows the users", code: .notFound)
        case .authenticationFailed:
            self.init(e.description, hint: "the failure was recorded; repeated failures lock the account", code: .authenticationFailed)
        case .accountLocked:
            self.init(e.description, hint: "an admin must unlock it (`auditctl user unlock`); the attempt was recorded", code: .authenticationFailed)
        case .refused:
            self.init(e.description, hint: "nothing was written; Docs/signing-guide.md explains the rules", code: .refused)
        case .conflict:
            self.init(e.description, hint: "nothing was written", code: .conflict)
        case .policyNotRecorded:
            self.init(e.description, hint: "an admin must record it first: `auditctl policy record --reason ...`; nothing was written", code: .refused)
        case .credentialFile:
            self.init(e.description, hint: "restore the data directory's credentials/ and keys/ from backup; nothing was written", code: .verificationFailed)
        case .needsAttention:
            self.init(e.description, hint: "nothing was done; run `auditctl verify` to list every entry that fails and investigate before acting on this ledger", code: .verificationFailed)
        case .ledger(let error):
            self.init(ledgerError: error)
        case .storage:
            self.init(e.description, hint: "check permissions and disk space in the data directory", code: .storage)
        }
    }
}

/// Runs a records call, turning its typed error into the CLI's.
func recordsCall<T>(_ body: () async throws(RecordsError) -> T) async throws -> T {
    do { return try await body() } catch { throw CLIFailure(records: error) }
}

/// Synchronous variant of `recordsCall`.
func recordsSync<T>(_ body: () throws(RecordsError) -> T) throws -> T {
    do { return try body() } catch { throw CLIFailure(records: error) }
}
