import ArgumentParser
import AuditCore
import AuditCrypto
import AuditFleetCentral
import Foundation

/// `auditctl fleet verify`: the auditor's check of a central database (Docs/fleet.md). A thin
/// shell over `FleetAudit`; exits 1 naming every problem, 0 when everything re-derives.
struct FleetVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-derive every stored plant entry, checkpoint and cosignature and the central's own log; name anything edited, dropped or swapped.",
        discussion: """
        Reads the database only. The central's keys come from the auditor, not from the database: \
        --log-key and --witness-key (key strings or files), or the public log.vkey and witness.vkey \
        of --key-dir.
        """)

    @OptionGroup var database: FleetDatabaseOptions
    @Option(name: .customLong("key-dir"), help: "Folder holding the central's public keys log.vkey and witness.vkey.") var keyDirectory: String?
    @Option(name: .customLong("log-key"), help: "The central log's verifier key, or a file holding it.") var logKey: String?
    @Option(name: .customLong("witness-key"), help: "The central's witness key, or a file holding it.") var witnessKey: String?
    @Option(help: "Only this plant origin (the central log is always checked).") var plant: String?
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        let url = try database.url()
        let log = try Self.noteKey(logKey ?? keyDirectory.map { $0 + "/log.vkey" })
        guard let witnessText = witnessKey ?? keyDirectory.map({ $0 + "/witness.vkey" }) else {
            throw CLIFailure("no witness key given", hint: "pass --witness-key or --key-dir", code: .usage)
        }
        let witness = try WitnessKeyArgument.parse(witnessText, option: "--witness-key")
        let logger = FleetLogging.logger("auditctl.fleet")
        let report = try await withFleetDatabase(url, logger: logger) { db in
            try await FleetAudit(database: db, logKey: log, witnessKey: witness).run(plant: plant)
        }
        if json {
            Output.json(.object([
                "ok": .bool(report.ok), "plants": .number(Double(report.plants)), "plantEntries": .number(Double(report.plantEntries)),
                "plantCheckpoints": .number(Double(report.plantCheckpoints)), "cosignatures": .number(Double(report.cosignatures)),
                "centralEntries": .number(Double(report.centralEntries)), "centralCheckpoints": .number(Double(report.centralCheckpoints)),
                "problems": .array(report.problems.map { .string($0.description) }),
            ]))
        } else {
            for problem in report.problems { print("FAIL \(problem)") }
            if report.ok {
                print("ok: \(report.plants) plants, \(report.plantEntries) entries, \(report.plantCheckpoints) checkpoints, "
                      + "\(report.cosignatures) cosignatures; central log \(report.centralEntries) entries, \(report.centralCheckpoints) checkpoints")
            }
        }
        if !report.ok {
            throw CLIFailure("\(report.problems.count) problem(s) in the fleet database", hint: "each FAIL line names the plant and seq; do not trust those rows", code: .verificationFailed)
        }
    }

    static func noteKey(_ value: String?) throws -> NoteVerifierKey {
        guard let value else { throw CLIFailure("no central log key given", hint: "pass --log-key or --key-dir", code: .usage) }
        var text = value
        if FileManager.default.fileExists(atPath: value) {
            text = String(decoding: try InputFile.read(value, limit: Limits.maxSecretFileBytes, what: "log key"), as: UTF8.self)
        }
        do { return try NoteVerifierKey.parse(text.trimmingCharacters(in: .whitespacesAndNewlines)) } catch {
            throw CLIFailure("\(value): not a log verifier key: \(error)", hint: "give the central's log.vkey", code: .malformedInput)
        }
    }
}
