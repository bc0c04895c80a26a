import AuditCore
import AuditCrypto
import AuditFleet
import AuditFleetCentral
import AuditLedger
import AuditTesting
import Foundation
import Testing

/// `auditctl fleet init / enroll / serve` as an administrator runs them: files and modes,
/// exit codes of the documented failures, and a push to the served central.
@Suite struct FleetCommandTests {
    struct Setup {
        let directory = TemporaryDirectory("fleet-cli")
        let url: String
        var keyDir: String { directory.file("keys") }
        var passwordFile: String { directory.file("key.password") }
        var environment: [String: String] {
            ["AUDITCTL_FLEET_KEY_PASSWORD_FILE": passwordFile, "AUDITCTL_ARGON2": "testing", "AUDITCTL_FLEET_DATABASE": url]
        }

        init() throws {
            url = try PostgresCluster.shared().createDatabase(prefix: "cli")
            _ = FileManager.default.createFile(atPath: directory.file("key.password"), contents: Data("central-key-password-1\n".utf8))
        }

        func auditctl(_ args: [String], environment extra: [String: String] = [:]) throws -> CommandResult {
            try CommandRunner.auditctl(args, environment: environment.merging(extra) { _, new in new })
        }
    }

    @Test func initWritesSealedKeysOnceAndEnrollRecordsThePlant() async throws {
        let s = try Setup()
        let first = try s.auditctl(["fleet", "init", "--origin", "fleet.example/central", "--key-dir", s.keyDir, "--by", "ada", "--json"])
        #expect(first.status == 0, "\(first)")
        let output = try JSONValue.parse(Array(first.stdout.utf8))
        #expect(output["origin"]?.stringValue == "fleet.example/central")
        #expect(!first.stdout.contains("central-key-password"))
        for (name, mode) in [("log-key.sealed", 0o600), ("witness-key.sealed", 0o600), ("log.vkey", 0o644), ("witness.vkey", 0o644)] {
            let attributes = try FileManager.default.attributesOfItem(atPath: s.keyDir + "/" + name)
            #expect((attributes[.posixPermissions] as? Int) == mode, "\(name)")
        }
        let logKey = try String(contentsOfFile: s.keyDir + "/log.vkey", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(output["logKey"]?.stringValue == logKey)

        // Never twice: existing key files, or an initialized database with a fresh key folder.
        #expect(try s.auditctl(["fleet", "init", "--origin", "fleet.example/central", "--key-dir", s.keyDir]).status == 9)
        let other = s.directory.file("keys-2")
        let again = try s.auditctl(["fleet", "init", "--origin", "fleet.example/central", "--key-dir", other])
        #expect(again.status == 9, "\(again)")
        #expect(again.stderr.contains("already initialized"))
        #expect(!FileManager.default.fileExists(atPath: other + "/log-key.sealed"), "a failed init left a key behind")

        // Enroll a plant from its log.vkey file.
        let plant = try await TestLedger.make(origin: "basel.example/line-3", entries: 2)
        let enroll = try s.auditctl(["fleet", "enroll", "--origin", "basel.example/line-3", "--log-key", plant.home.verifierKeyPath,
                                     "--name", "Plant Basel", "--key-dir", s.keyDir, "--by", "ada"])
        #expect(enroll.status == 0, "\(enroll)")
        #expect(enroll.stdout.contains("enrolled basel.example/line-3 (Plant Basel)"))
        #expect(try s.auditctl(["fleet", "enroll", "--origin", "basel.example/line-3", "--log-key", plant.home.verifierKeyPath,
                                "--key-dir", s.keyDir]).status == 9)
        // A key named after another origin, a wrong password, a missing database.
        let mismatch = try s.auditctl(["fleet", "enroll", "--origin", "zurich.example/line-1", "--log-key", plant.home.verifierKeyPath,
                                       "--key-dir", s.keyDir])
        #expect(mismatch.status == 3, "\(mismatch)")
        let wrong = s.directory.file("wrong.password")
        _ = FileManager.default.createFile(atPath: wrong, contents: Data("not-it".utf8))
        let denied = try s.auditctl(["fleet", "enroll", "--origin", "zurich.example/line-1", "--log-key", plant.home.verifierKeyPath,
                                     "--key-dir", s.keyDir], environment: ["AUDITCTL_FLEET_KEY_PASSWORD_FILE": wrong])
        #expect(denied.status == 5, "\(denied)")
        let unreachable = try s.auditctl(["fleet", "enroll", "--origin", "x.example/y", "--log-key", plant.home.verifierKeyPath,
                                          "--key-dir", s.keyDir, "--database", "postgres://nobody@127.0.0.1:1/none?sslmode=disable"])
        #expect(unreachable.status == 8, "\(unreachable)")
        #expect(unreachable.stderr.hasPrefix("error: ") && unreachable.stderr.contains("\nhint: "))
        let noDatabase = try CommandRunner.auditctl(["fleet", "serve", "--key-dir", s.keyDir])
        #expect(noDatabase.status == 64, "\(noDatabase)")
    }

    @Test func servedCentralAcceptsAPushAndStopsOnSIGTERM() async throws {
        let s = try Setup()
        #expect(try s.auditctl(["fleet", "init", "--origin", "fleet.example/central", "--key-dir", s.keyDir]).status == 0)
        let plant = try await TestLedger.make(origin: "basel.example/line-3", entries: 30)
        #expect(try s.auditctl(["fleet", "enroll", "--origin", "basel.example/line-3", "--log-key", plant.home.verifierKeyPath,
                                "--key-dir", s.keyDir]).status == 0)
        let server = try ServedCentral(arguments: ["fleet", "serve", "--listen", "127.0.0.1:0", "--key-dir", s.keyDir],
                                       environment: s.environment)
        defer { server.stop() }
        let port = try await server.port()
        let http = RawHTTP(port: port)
        let push = try #require(try FleetPushBuilder.next(from: plant.store, origin: "basel.example/line-3", centralSize: 0))
        let answer = try await http.post("/fleet/v1/push", body: push.body)
        #expect(answer.status == 200, "\(answer.text)")
        let witness = try String(contentsOfFile: s.keyDir + "/witness.vkey", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let text = try Cosignature.split(note: push.checkpoint).text
        #expect(try Cosignature.verify(checkpointText: text, signatureLines: answer.text, witnesses: [CosignerKey.parse(witness)]).count == 1)
        #expect(try await http.post("/fleet/v1/push", body: push.body).status == 200)
        #expect(server.stop() == 0)
    }
}

/// `auditctl fleet serve` in the background; its first stdout line names the bound port.
final class ServedCentral: @unchecked Sendable {
    private let process: SpawnedProcess
    private let output: PipeCollector

    init(arguments: [String], environment: [String: String]) throws {
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        output = try PipeCollector()
        process = try SpawnedProcess(CommandRunner.auditctlPath, arguments, environment: env, stdout: output.stream, stderr: .null)
        output.childStarted()
    }

    func port() async throws -> Int {
        for _ in 0..<600 {
            let line = output.text
            if let range = line.range(of: #"127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                return Int(line[range].dropFirst(10).dropLast())!
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw RawHTTP.HTTPFailure(reason: "fleet serve did not start: \(output.text)")
    }

    @discardableResult
    func stop() -> Int32 {
        process.signal(SIGTERM)
        return process.wait()
    }
}
