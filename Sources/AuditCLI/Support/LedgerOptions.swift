import ArgumentParser
import AuditLedger
import Foundation

/// Where the data directory is and how to unlock the log key; shared by every ledger command.
/// Order of precedence: flags, then `AUDITCTL_*` environment variables, then defaults.
struct LedgerOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (default: $AUDITCTL_DATA_DIR or ./auditctl-data).")
    var dataDir: String?

    @Option(name: .customLong("log-key-file"), help: "Plain C2SP signer key file for the log (instead of the sealed key).")
    var logKeyFile: String?

    @Option(name: .customLong("log-key-password-file"), help: "File holding the password that unseals the log key.")
    var logKeyPasswordFile: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var home: LedgerHome {
        LedgerHome(directory: dataDir ?? environment["AUDITCTL_DATA_DIR"] ?? "auditctl-data")
    }

    /// The log key source from flags or environment; nil when none is configured.
    func keySource(promptIfInteractive: Bool) throws -> LedgerHome.LogKeySource? {
        if let f = logKeyFile ?? environment["AUDITCTL_LOG_KEY_FILE"] {
            return .signerKey(try SecretFile.read(f, what: "log key"))
        }
        if let k = environment["AUDITCTL_LOG_KEY"], !k.isEmpty { return .signerKey(k) }
        if let f = logKeyPasswordFile ?? environment["AUDITCTL_LOG_KEY_PASSWORD_FILE"] {
            return .password(try SecretFile.read(f, what: "log key password"))
        }
        if promptIfInteractive, Terminal.stdinIsTerminal,
           FileManager.default.fileExists(atPath: home.sealedKeyPath),
           let pw = Terminal.promptSecret("Log key password: ") {
            return .password(pw)
        }
        return nil
    }

    /// Opens the ledger for writing, unlocking the log key when one is configured.
    func openForWriting() throws -> LedgerStore {
        do {
            return try home.open(keySource: try keySource(promptIfInteractive: true))
        } catch let e as LedgerError {
            throw CLIFailure(ledgerError: e)
        }
    }

    func openForReading() throws -> LedgerStore {
        do {
            return try home.open(readOnly: true)
        } catch {
            throw CLIFailure(ledgerError: error)
        }
    }
}

extension CLIFailure {
    /// The one place ledger errors become user-facing lines and exit codes.
    init(ledgerError e: LedgerError) {
        switch e {
        case .notFound(let p):
            self.init(e.description, hint: p.hasSuffix(".sqlite") ? "run `auditctl init` first, or pass --data-dir" : "check the path", code: .notFound)
        case .alreadyExists:
            self.init(e.description, hint: "choose another --data-dir; an existing ledger is never overwritten", code: .conflict)
        case .notALedger:
            self.init(e.description, hint: "point --data-dir at a directory created by `auditctl init`; the file was not modified", code: .storage)
        case .newerSchema:
            self.init(e.description, hint: "use the auditctl release that wrote this ledger or a newer one; nothing was written", code: .storage)
        case .storage:
            self.init(e.description, hint: "check disk space, permissions and that no other program locks the file", code: .storage)
        case .invalidDraft:
            self.init(e.description, hint: "nothing was written; see `auditctl append --help`", code: .malformedInput)
        case .entryNotFound, .invalidRange:
            self.init(e.description, hint: "`auditctl log` lists the entries", code: .notFound)
        case .corrupted:
            self.init(e.description, hint: "run `auditctl verify` for a full report", code: .verificationFailed)
        case .clockBehind(_, _, let seq, _):
            self.init(e.description,
                      hint: "nothing was written; fix this host's clock (NTP) and retry, or, if entry \(seq) was written while a clock was ahead, have an admin record a clock correction naming its seq (see Docs/ledger-format.md)",
                      code: .conflict)
        case .readOnly:
            self.init(e.description, hint: "this command writes; run it against the live data directory, not a read-only copy", code: .storage)
        case .unappliedWAL(let p):
            self.init(e.description,
                      hint: "copy the data directory somewhere writable, or make the copy from a checkpointed ledger (`sqlite3 \(p) 'PRAGMA wal_checkpoint(TRUNCATE)'` on the original, then copy it without its -wal); nothing was read",
                      code: .storage)
        case .fileExists:
            self.init(e.description, hint: "choose another path; an existing key file is never overwritten, and nothing was created", code: .conflict)
        case .badKeyFile:
            self.init(e.description, hint: "pass the log.vkey file written by `auditctl init` (or an auditor's copy of it)", code: .malformedInput)
        case .signing(let m):
            let wrongPassword = m.contains("password")
            self.init(e.description, hint: wrongPassword ? "check the log key password; nothing was written"
                                                         : "unlock the log key with --log-key-password-file, --log-key-file or AUDITCTL_LOG_KEY",
                      code: .authenticationFailed)
        }
    }
}
