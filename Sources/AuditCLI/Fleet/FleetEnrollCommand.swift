import ArgumentParser
import AuditCore
import AuditCrypto
import AuditFiles
import AuditFleetCentral
import Foundation

/// `auditctl fleet enroll`: an admin admits a plant, naming the key its checkpoints carry.
struct FleetEnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Enroll a plant: accept its pushes when its checkpoints are signed by the given log key.",
        discussion: """
        --log-key is the plant's C2SP verifier key (name+hash+base64), or the path of its \
        log.vkey file (`auditctl init` writes it into the plant's data directory). Get it from \
        the plant over a channel you trust: every later fork alarm is judged by it. The \
        enrollment is recorded as plant.enrolled in the central's log, signed with its log key \
        (hence --key-dir). A plant is enrolled once.
        """)

    @OptionGroup var database: FleetDatabaseOptions
    @OptionGroup var keys: FleetKeyOptions

    @Option(help: "The plant's origin (its ledger's origin line, e.g. basel.example.com/line-3).")
    var origin: String

    @Option(name: .customLong("log-key"), help: "The plant's verifier key, or a file holding it (its log.vkey).")
    var logKey: String

    @Option(help: "A display name, e.g. \"Plant Basel\".")
    var name: String?

    @Option(help: "Who enrolls the plant, for the central log (default: $USER).")
    var by: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let url = try database.url()
        let key = try Self.verifierKey(logKey)
        let unlocked = try keys.unlock()
        let admin = FleetLogging.admin(by)
        let logger = FleetLogging.logger("auditctl.fleet.enroll")
        let (origin, name) = (self.origin, self.name)
        let seq = try await withFleetDatabase(url, logger: logger) { db in
            let central = try await FleetCentral.open(database: db, keys: unlocked, logger: logger)
            return try await central.enroll(origin: origin, verifierKey: key, name: name, by: admin)
        }
        if json {
            Output.json(.object(["origin": .string(origin), "verifierKey": .string(key.encoded), "centralSeq": .number(Double(seq))]))
        } else {
            print("enrolled \(origin)\(name.map { " (\($0))" } ?? "") with key \(key.encoded); central log entry \(seq)")
        }
    }

    /// A key string, or a file whose content is one.
    static func verifierKey(_ text: String) throws -> NoteVerifierKey {
        if let key = try? NoteVerifierKey.parse(text) { return key }
        guard FileManager.default.fileExists(atPath: text) else {
            throw CLIFailure("--log-key: '\(text)' is neither a verifier key (name+hash+base64) nor a file",
                             hint: "pass the plant's log.vkey file or its content", code: .malformedInput)
        }
        let bytes = try InputFile.read(text, limit: Limits.maxSecretFileBytes, what: "verifier key file")
        let content = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        do { return try NoteVerifierKey.parse(content) } catch {
            throw CLIFailure("--log-key: \(text) does not hold a C2SP verifier key: \(error)",
                             hint: "pass the plant's log.vkey file or its content", code: .malformedInput)
        }
    }
}
