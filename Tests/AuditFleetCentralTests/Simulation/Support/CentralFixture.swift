import AuditCrypto
import AuditFleetCentral
import AuditTesting
import Foundation
import Logging
import Testing

/// A central set up as its admin sets one up: a database on a throwaway PostgreSQL,
/// `auditctl fleet init` with its keys sealed in a temporary folder, plants enrolled with
/// their log keys, and `auditctl fleet serve` as a child process (`server`). Assertions read
/// the database with plain SQL (`sql`), as an auditor with database access would.
final class CentralFixture: @unchecked Sendable {
    let cluster: PostgresCluster
    let url: String
    let databaseName: String
    let directory: TemporaryDirectory
    let keyDirectory: String
    let passwordFile: String
    let witnessKey: CosignerKey
    let logKey: NoteVerifierKey
    let server: FleetServeProcess

    static let password = "central test key password 1"

    init(cluster: PostgresCluster) throws {
        self.cluster = cluster
        url = try cluster.createDatabase(prefix: "fleetsim")
        databaseName = PostgresCluster.databaseName(of: url)
        directory = TemporaryDirectory("fleet-central")
        keyDirectory = directory.file("keys")
        passwordFile = directory.file("key-password")
        _ = FileManager.default.createFile(atPath: passwordFile, contents: Data(Self.password.utf8), attributes: [.posixPermissions: 0o600])
        let initialized = try auditctl(["fleet", "init", "--database", url, "--origin", "central.example/fleet",
                                                      "--key-dir", keyDirectory, "--key-password-file", passwordFile, "--by", "admin"],
                                                     environment: ["AUDITCTL_ARGON2": "testing"])
        guard initialized.status == 0 else { throw ServeFailure("fleet init failed: \(initialized)") }
        let keys = CentralKeyDirectory(path: keyDirectory)
        witnessKey = try CosignerKey.parse(String(contentsOfFile: keys.witnessVerifierKeyPath, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines))
        logKey = try NoteVerifierKey.parse(String(contentsOfFile: keys.logVerifierKeyPath, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines))
        server = FleetServeProcess(database: url, keyDirectory: keyDirectory, passwordFile: passwordFile,
                                   logDirectory: directory.path)
    }

    /// Enrolls every plant in one session (the admin's `fleet enroll`, without a process per plant).
    func enroll(_ plants: [(origin: String, key: NoteVerifierKey)]) async throws {
        let keys = try CentralKeyDirectory(path: keyDirectory).open(password: Self.password)
        let logger = { var l = Logger(label: "fleet-simulation.enroll"); l.logLevel = .warning; return l }()
        let databaseURL = try DatabaseURL(url)
        try await FleetDatabase.run(url: databaseURL, logger: logger, maximumConnections: 2) { db in
            let central = try await FleetCentral.open(database: db, keys: keys, logger: logger)
            for plant in plants {
                try await central.enroll(origin: plant.origin, verifierKey: plant.key, name: nil, by: "admin")
            }
        }
    }

    /// Rows of a query on the central's database (fields as text).
    func sql(_ query: String) throws -> [[String]] {
        try cluster.rows(database: databaseName, query)
    }

    /// One integer result.
    func count(_ query: String) throws -> Int {
        let text = try cluster.value(database: databaseName, query)
        guard let n = Int(text) else { throw ServeFailure("\(query) gave '\(text)', not a number") }
        return n
    }

    /// The three audits every fault test ends with: the tests' mirror audit (each plant's
    /// entries exactly once, roots equal the plant's), the central log audit (chain, signed
    /// checkpoints, times never going back) and the product's own `auditctl fleet verify`.
    func expectEveryAuditPasses(_ plants: [SimulatedPlant], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let problems = try MirrorAudit(central: self).problems(plants)
        #expect(problems.isEmpty, "\(problems.count) problems:\n\(problems.prefix(20).joined(separator: "\n"))", sourceLocation: sourceLocation)
        let logProblems = try CentralLogAudit(central: self).problems()
        #expect(logProblems.isEmpty, "\(logProblems.prefix(20).joined(separator: "\n"))", sourceLocation: sourceLocation)
        let verified = try fleetVerify()
        #expect(verified.status == 0 && verified.stdout.hasPrefix("ok: \(plants.count) plants"), "\(verified)", sourceLocation: sourceLocation)
    }

    /// `auditctl fleet verify` with the central's public keys: the product's own audit of the
    /// database, beside the tests' (`MirrorAudit`, `CentralLogAudit`).
    func fleetVerify() throws -> CommandResult {
        try auditctl(["fleet", "verify", "--database", url, "--key-dir", keyDirectory])
    }

    /// An HTTP GET on the running service.
    func get(_ path: String) throws -> RawHTTPConnection.Response {
        try RawHTTPConnection(port: server.port, timeout: 30).get(path: path)
    }
}
