import ArgumentParser
import AuditCore
import AuditCrypto
import AuditFleetCentral
import Foundation

/// `auditctl fleet init`: creates the central's keys and prepares its database.
struct FleetInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the central's log and witness keys and initialize its PostgreSQL database.",
        discussion: """
        Writes log-key.sealed and witness-key.sealed (mode 0600, sealed with Argon2id under \
        one password) and their public forms log.vkey and witness.vkey into --key-dir; never \
        overwrites a file. Migrates the database and starts the central's own log with a \
        fleet.created entry and a first signed checkpoint. The database must exist and be empty \
        of auditctl tables (CREATE DATABASE fleet OWNER auditctl).
        """)

    @OptionGroup var database: FleetDatabaseOptions
    @OptionGroup var keys: FleetKeyOptions

    @Option(help: "The central's origin, e.g. fleet.example.com/central (its log key name and checkpoint origin).")
    var origin: String

    @Option(name: .customLong("witness-name"), help: "The witness key's name (default: <origin>/witness).")
    var witnessName: String?

    @Option(help: "Who runs the command, for the central log (default: $USER).")
    var by: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let url = try database.url()
        let generated: CentralKeys
        do { generated = try CentralKeys.generate(origin: origin, witnessName: witnessName ?? "\(origin)/witness") } catch {
            throw CLIFailure(fleetError: error)
        }
        let password = try keys.newPassword()
        let parameters: Argon2Parameters = ProcessInfo.processInfo.environment["AUDITCTL_ARGON2"] == "testing" ? .testing : .moderate
        let directory = keys.directory
        let admin = FleetLogging.admin(by)
        let logger = FleetLogging.logger("auditctl.fleet.init")
        try await withFleetDatabase(url, logger: logger) { db in
            // Key files first (O_EXCL), then the database in one transaction; undone if that fails.
            try directory.create(generated, password: password, parameters: parameters)
            do {
                _ = try await FleetCentral.initialize(database: db, keys: generated, by: admin, logger: logger)
            } catch {
                for file in [directory.logKeyPath, directory.witnessKeyPath, directory.logVerifierKeyPath, directory.witnessVerifierKeyPath] {
                    unlink(file)
                }
                throw error
            }
        }
        if json {
            Output.json(.object([
                "origin": .string(origin), "logKey": .string(generated.log.verifierKey.encoded),
                "witnessKey": .string(generated.witness.key.encoded), "keyDir": .string(directory.path),
                "database": .string(url.redacted),
            ]))
        } else {
            print("initialized fleet central \(origin) in \(url.redacted)")
            print("log key:     \(generated.log.verifierKey.encoded)")
            print("witness key: \(generated.witness.key.encoded)")
            print("keys sealed in \(directory.path) (log-key.sealed, witness-key.sealed; public: log.vkey, witness.vkey)")
        }
    }
}
