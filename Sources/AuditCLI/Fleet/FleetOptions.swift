import ArgumentParser
import AuditCrypto
import AuditFleetCentral
import Foundation
import Logging

/// The fleet database, from `--database` or `AUDITCTL_FLEET_DATABASE`.
struct FleetDatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database"),
            help: "PostgreSQL URL, e.g. postgres://auditctl@db.example:5432/fleet?sslmode=require (default: $AUDITCTL_FLEET_DATABASE). The password comes from $PGPASSWORD when the URL has none.")
    var database: String?

    func url() throws -> DatabaseURL {
        guard let text = database ?? ProcessInfo.processInfo.environment["AUDITCTL_FLEET_DATABASE"], !text.isEmpty else {
            throw CLIFailure("no fleet database given", hint: "pass --database postgres://USER@HOST:PORT/DATABASE or set AUDITCTL_FLEET_DATABASE", code: .usage)
        }
        do { return try DatabaseURL(text) } catch { throw CLIFailure(fleetError: error) }
    }
}

/// The central's key folder and the password that unseals its keys.
struct FleetKeyOptions: ParsableArguments {
    @Option(name: .customLong("key-dir"), help: "Folder of the central's sealed log and witness keys (written by `fleet init`).")
    var keyDirectory: String

    @Option(name: .customLong("key-password-file"),
            help: "File holding the password that seals the central's keys (default: $AUDITCTL_FLEET_KEY_PASSWORD_FILE; asked on a terminal otherwise).")
    var passwordFile: String?

    var directory: CentralKeyDirectory { CentralKeyDirectory(path: keyDirectory) }

    private var file: String? { passwordFile ?? ProcessInfo.processInfo.environment["AUDITCTL_FLEET_KEY_PASSWORD_FILE"] }

    func existingPassword() throws -> String {
        if let file { return try SecretFile.read(file, what: "key password") }
        guard Terminal.stdinIsTerminal, let password = Terminal.promptSecret("Central key password: ") else {
            throw CLIFailure("no key password given", hint: "pass --key-password-file (or AUDITCTL_FLEET_KEY_PASSWORD_FILE), or run on a terminal to be asked", code: .usage)
        }
        return password
    }

    func newPassword() throws -> String {
        try CredentialPrompt.newPassword(file: file, label: "Central key password")
    }

    func unlock() throws -> CentralKeys {
        let password = try existingPassword()
        do { return try directory.open(password: password) } catch { throw CLIFailure(fleetError: error) }
    }
}

enum FleetLogging {
    /// `LOG_LEVEL` (trace … critical), info by default; lines go to stderr.
    static func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        return logger
    }

    /// The acting admin's name for the central log: `--by`, else `$USER`, else the account name.
    static func admin(_ by: String?) -> String {
        if let by { return by }
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return "uid-\(getuid())" }
        return String(cString: name)
    }
}

extension CLIFailure {
    /// The one place fleet errors become `error:`/`hint:` lines and exit codes (Docs/exit-codes.md).
    init(fleetError e: FleetError) {
        switch e {
        case .database:
            self.init(e.description, hint: "check that PostgreSQL runs, the URL, user, password and sslmode; nothing half-done was stored", code: .storage)
        case .newerSchema:
            self.init(e.description, hint: "use the auditctl release that migrated this database, or a newer one; nothing was written", code: .storage)
        case .notInitialized:
            self.init(e.description, hint: "run `auditctl fleet init --database URL --origin NAME --key-dir DIR` first", code: .notFound)
        case .alreadyInitialized:
            self.init(e.description, hint: "a fleet database is initialized once; use it with its key folder, or choose another database", code: .conflict)
        case .notEnrolled:
            self.init(e.description, hint: "`auditctl fleet enroll` adds a plant", code: .notFound)
        case .alreadyEnrolled:
            self.init(e.description, hint: "a plant is enrolled once, with the key it signs checkpoints with; nothing was changed", code: .conflict)
        case .invalidInput:
            self.init(e.description, hint: "see `auditctl fleet --help` and Docs/fleet.md; nothing was written", code: .malformedInput)
        case .keyFile:
            self.init(e.description, hint: "point --key-dir at the folder `fleet init` wrote (log-key.sealed, witness-key.sealed, log.vkey, witness.vkey)", code: .malformedInput)
        case .keyFileExists:
            self.init(e.description, hint: "choose an empty --key-dir; existing key files are never overwritten, and nothing was created", code: .conflict)
        case .wrongPassword:
            self.init(e.description, hint: "check the key password; nothing was written", code: .authenticationFailed)
        case .keyMismatch:
            self.init(e.description, hint: "use the key folder written by `fleet init` for this database", code: .authenticationFailed)
        }
    }
}

/// Runs `body` with a database pool, mapping fleet errors to CLI failures.
func withFleetDatabase<T: Sendable>(_ url: DatabaseURL, logger: Logger, _ body: @Sendable (FleetDatabase) async throws -> T) async throws -> T {
    do {
        return try await FleetDatabase.run(url: url, logger: logger, body)
    } catch let e as FleetError {
        throw CLIFailure(fleetError: e)
    }
}
