import AuditCore
import AuditCrypto
import AuditTesting
import Foundation
import Testing

/// `auditctl serve --fleet-push-to`: the reviewer service also pushes the ledger to the
/// central in the background, so a plant needs no separate timer. Entries the CLI appends
/// while it serves reach the central, and the cosignatures land in the ledger file.
extension FleetCLITests {
    @Test func serveAlsoPushesInTheBackgroundAndStopsCleanly() async throws {
        let server = try serve()
        defer { server.stop() }
        let errFile = h.dir.file("serve.err")
        let process = try SpawnedProcess(CommandRunner.auditctlPath,
                                         ["serve", "--listen", "127.0.0.1:0", "--data-dir", h.data, "--fleet-push-to", server.baseURL,
                                          "--fleet-witness-key", witnessFile, "--fleet-push-every", "1"],
                                         environment: ProcessInfo.processInfo.environment.merging(h.env) { _, new in new },
                                         stdout: h.dir.file("serve.out"), stderr: errFile)
        defer { process.signal(SIGTERM); process.wait() }

        let (central, h) = (self.central, self.h)
        let caughtUp: @Sendable () throws -> Bool = { central.size(of: RecordsHome.origin) == (try h.size()) }
        try await poll("the background push brings the central up to the ledger", timeout: 30) { try caughtUp() }
        // An entry appended by the CLI while the server runs goes with a later round.
        let before = try h.size()
        try h.propose("chg-bg")
        #expect(try h.size() > before)
        try await poll("the CLI's new entries are pushed too", timeout: 30) { try caughtUp() }
        #expect(process.isRunning, "the server keeps serving while it pushes")

        process.signal(SIGTERM)
        #expect(process.wait() == 0)
        let stderr = try String(contentsOfFile: errFile, encoding: .utf8)
        #expect(stderr.contains("pushing this ledger to the central fleet service in the background"), "\(stderr)")
        #expect(stderr.contains("cosigned by central.example/witness"), "\(stderr)")
        #expect(!stderr.contains(RecordsHome.logKeyPassword))

        // The cosignature of the newest checkpoint is in the ledger file.
        let latest = try JSONValue.parse(try h.run(["checkpoint", "--latest", "--json"]).stdout)
        #expect(latest["cosignatures"]?[0]?["witness"]?.stringValue == "central.example/witness", "\(latest)")
        #expect(try h.run(["verify"]).status == 0)
    }

    @Test func serveRefusesAnIncompleteFleetPushSetup() throws {
        let noURL = try h.run(["serve", "--listen", "127.0.0.1:0", "--fleet-witness-key", witnessFile])
        #expect(noURL.status == 64, "\(noURL)")
        #expect(noURL.stderr.contains("--fleet-witness-key needs --fleet-push-to"), "\(noURL)")
        let badKey = try h.run(["serve", "--listen", "127.0.0.1:0", "--fleet-push-to", "http://127.0.0.1:1", "--fleet-witness-key", "not-a-key"],
                               env: ["AUDITCTL_FLEET_WITNESS_KEY": ""])
        expectFailure(badKey, code: 64, contains: "--fleet-witness-key 'not-a-key' is neither a witness key nor a file")
        let tooOften = try h.run(["serve", "--fleet-push-to", "http://127.0.0.1:1", "--fleet-witness-key", witnessFile, "--fleet-push-every", "0.1"])
        #expect(tooOften.status == 64 && tooOften.stderr.contains("--fleet-push-every must be at least 1 second"), "\(tooOften)")
        let caAlone = try h.run(["serve", "--listen", "127.0.0.1:0", "--fleet-ca-file", witnessFile])
        #expect(caAlone.status == 64 && caAlone.stderr.contains("--fleet-ca-file needs --fleet-push-to"), "\(caAlone)")
        // The CA file comes from the environment when no option names it, and is read before
        // the server starts: one without a certificate stops it with the variable's file named.
        let badCA = try h.run(["serve", "--listen", "127.0.0.1:0", "--fleet-push-to", "https://127.0.0.1:1", "--fleet-witness-key", witnessFile],
                              env: ["AUDITCTL_FLEET_CA_FILE": witnessFile])
        expectFailure(badCA, code: 64, contains: "cannot use the CA file '\(witnessFile)': it holds no PEM certificate")
        #expect(badCA.stderr.contains("--fleet-ca-file (or $AUDITCTL_FLEET_CA_FILE)"), "\(badCA)")
    }
}
