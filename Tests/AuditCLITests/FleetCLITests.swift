import AuditCore
import AuditCrypto
import AuditTesting
import Foundation
import Testing

/// `auditctl fleet push` and what the cosignatures it keeps are for, through the binary: a
/// plant ledger pushed to an in-test central over HTTP, `checkpoint --latest` showing the
/// cosigned note, and a witnessed release an edge accepts while it refuses one the central
/// never cosigned.
@Suite(.serialized) struct FleetCLITests {
    let h: RecordsHome
    let central: TestCentral
    let witnessFile: String

    init() throws {
        h = try RecordsHome.make(people: RecordsHome.defaultPeople + [TestCast.otto])
        central = try TestCentral()
        let key = try NoteVerifierKey.parse(String(contentsOfFile: h.data + "/log.vkey", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines))
        central.enroll(origin: RecordsHome.origin, key: key)
        witnessFile = h.dir.file("witness.vkey")
        try (central.witness.key.encoded + "\n").write(toFile: witnessFile, atomically: true, encoding: .utf8)
    }

    func serve() throws -> ScriptedHTTPServer {
        let central = self.central
        return try ScriptedHTTPServer { central.handle($0) }
    }

    func push(_ server: ScriptedHTTPServer, _ extra: [String] = []) throws -> CommandResult {
        try h.run(["fleet", "push", "--to", server.baseURL, "--witness-key", witnessFile] + extra)
    }

    @Test func pushUntilCurrentThenCheckpointLatestShowsTheCosignedNote() throws {
        let server = try serve()
        defer { server.stop() }
        let size = try h.size()
        let r = try push(server, ["--batch", "7"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix("pushed \(size) entries in "), "\(r)")
        #expect(r.stdout.hasSuffix("pushes; central size \(size), cosigned by central.example/witness\n"), "\(r)")
        #expect(central.size(of: RecordsHome.origin) == size)

        // The stored cosignature, appended to the checkpoint note: one valid multi-signature note.
        let latest = try h.run(["checkpoint", "--latest"])
        #expect(latest.status == 0, "\(latest)")
        let logKey = try NoteVerifierKey.parse(String(contentsOfFile: h.data + "/log.vkey", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines))
        let opened = try SignedNote.open(latest.stdout, verifiers: [logKey])
        #expect(opened.unverifiedSignatures.map(\.name) == ["central.example/witness"])
        let parts = try Cosignature.split(note: latest.stdout)
        #expect(try Cosignature.verify(checkpointText: parts.text, signatureLines: parts.signatures,
                                       witnesses: [central.witness.key]).count == 1)
        let json = try JSONValue.parse(try h.run(["checkpoint", "--latest", "--json"]).stdout)
        let cosignature = try #require(json["cosignatures"]?[0])
        #expect(cosignature["witness"]?.stringValue == "central.example/witness")
        #expect(cosignature["keyHash"]?.stringValue?.count == 8)
        #expect((cosignature["timestamp"]?.doubleValue ?? 0) > 1_700_000_000)
        #expect(json["note"]?.stringValue == latest.stdout)

        // Current: nothing more to send.
        let again = try push(server)
        #expect(again.stdout == "pushed 0 entries in 0 pushes; central size \(size), cosigned by central.example/witness\n", "\(again)")
        #expect(try h.run(["verify"]).status == 0)
    }

    @Test func failuresGiveTheDocumentedExitCodes() throws {
        let down = try serve()
        down.stop()
        Thread.sleep(forTimeInterval: 0.1)
        expectFailure(try push(down, ["--timeout", "5"]), code: 10, contains: "cannot reach the central")

        let server = try serve()
        defer { server.stop() }
        let impostor = try Cosigner(name: central.witness.name, privateKey: .generate())
        central.inject(.cosignWith(impostor))
        expectFailure(try push(server), code: 1, contains: "no cosignature by the configured witness key")
        #expect(try h.run(["checkpoint", "--cosigned"]).status == 4)

        central.pad(origin: RecordsHome.origin, extra: try h.size() + 5)
        expectFailure(try push(server), code: 1, contains: "this ledger only \(try h.size()): was it restored from an old backup or forked?")

        let stranger = try TestCentral()
        let strangerServer = try ScriptedHTTPServer { stranger.handle($0) }
        defer { strangerServer.stop() }
        expectFailure(try h.run(["fleet", "push", "--to", strangerServer.baseURL, "--witness-key", stranger.witness.key.encoded]),
                      code: 4, contains: "origin not enrolled")

        expectFailure(try h.run(["fleet", "push", "--to", server.baseURL, "--witness-key", "not-a-key"]),
                      code: 64, contains: "--witness-key 'not-a-key' is neither a witness key nor a file")
        expectFailure(try h.run(["fleet", "push", "--to", "ftp://central", "--witness-key", witnessFile]), code: 64, contains: "is not http or https")
        // A CA file that is missing or holds no certificate is named at once, before any push.
        let missing = h.dir.file("no-such-ca.pem")
        expectFailure(try push(server, ["--ca-file", missing]), code: 64, contains: "cannot use the CA file '\(missing)': no such file")
        let notPEM = h.dir.file("ca.txt")
        try "not a certificate\n".write(toFile: notPEM, atomically: true, encoding: .utf8)
        expectFailure(try push(server, ["--ca-file", notPEM]), code: 64, contains: "it holds no PEM certificate")
        let broken = h.dir.file("broken-ca.pem")
        try "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".write(toFile: broken, atomically: true, encoding: .utf8)
        expectFailure(try h.run(["fleet", "query", "plants", "--url", server.baseURL, "--token-file", witnessFile, "--ca-file", broken]),
                      code: 64, contains: "a certificate in it does not parse")
    }

    /// Timer mode rides out a central that is down, logging each round, and pushes once it is back.
    @Test func everyKeepsGoingThroughAnOutage() throws {
        let central = self.central
        let calls = Counter()
        let server = try ScriptedHTTPServer { request in
            calls.increment() <= 2 ? .text(503, "maintenance") : central.handle(request)
        }
        defer { server.stop() }
        let (outFile, errFile) = (h.dir.file("push.out"), h.dir.file("push.err"))
        let process = try SpawnedProcess(CommandRunner.auditctlPath,
                                         ["fleet", "push", "--to", server.baseURL, "--witness-key", witnessFile, "--every", "1", "--data-dir", h.data],
                                         environment: ProcessInfo.processInfo.environment, stdout: outFile, stderr: errFile)
        let deadline = Date().addingTimeInterval(20)
        while central.size(of: RecordsHome.origin) < (try h.size()), Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(process.isRunning, "timer mode must not exit on errors")
        process.signal(SIGTERM)
        process.wait()
        let stdout = try String(contentsOfFile: outFile, encoding: .utf8)
        let stderr = try String(contentsOfFile: errFile, encoding: .utf8)
        #expect(stderr.contains("error: the central answered HTTP 503: maintenance (exit 10 without --every); next round in 1 s"), "\(stderr)")
        #expect(stdout.contains("pushed \(try h.size()) entries in "), "\(stdout)")
        #expect(central.size(of: RecordsHome.origin) == (try h.size()))
    }

    @Test func trustRootExportNamesWitnessesAndRefusesAnImpossibleQuorum() throws {
        let out = h.dir.file("trust.json")
        try h.expectOK(["trust-root", "export", "--out", out, "--witness", witnessFile])
        let trust = try JSONValue.parse(String(contentsOfFile: out, encoding: .utf8))
        #expect(trust["witnessQuorum"] == 1)
        #expect(trust["witnesses"]?[0]?["key"]?.stringValue == central.witness.key.encoded)
        expectFailure(try h.run(["trust-root", "export", "--witness", witnessFile, "--witness-quorum", "2"]),
                      code: 64, contains: "--witness-quorum: must be between 1 and the 1 distinct witness name(s) listed, not 2")
        expectFailure(try h.run(["trust-root", "export", "--witness-quorum", "1"]), code: 64, contains: "needs at least one --witness")
    }

    /// The whole witnessed release: approve, push, bundle (anchored at the cosigned checkpoint),
    /// and an edge whose trust root requires the witness. A change approved after the last push
    /// is refused (exit 31) until the plant pushes and refreshes the bundle; a sync file brings
    /// the edge cosigned checkpoints too.
    @Test func witnessedReleaseCycle() throws {
        let server = try serve()
        defer { server.stop() }
        let trust = h.dir.file("trust.json"), state = h.dir.file("edge-state")
        try h.expectOK(["trust-root", "export", "--out", trust, "--witness", witnessFile, "--witness-quorum", "1"])
        func deploy(_ model: String) throws -> CommandResult {
            try CommandRunner.auditctl(["verify-bundle", model, "--trust-root", trust, "--zone", "line1-ai", "--state", state],
                                       dataDir: h.dir.file("no-ledger-at-the-edge"))
        }

        let v1 = try approve("chg-1", version: "1.0.0", weights: "v1")
        #expect(try push(server).status == 0)
        try build(v1)
        let ok = try deploy(v1)
        #expect(ok.status == 0, "\(ok)")
        #expect(ok.stdout.contains("ok    approval.witness      checkpoint size "), "\(ok)")

        // Approved after the last push: nobody witnessed it yet.
        let v2 = try approve("chg-2", version: "1.1.0", weights: "v2")
        let created = try build(v2)
        #expect(created.stderr.contains("note: the fleet witness has not cosigned a checkpoint covering this approval yet"), "\(created)")
        let refused = try deploy(v2)
        #expect(refused.status == 31, "\(refused)")
        #expect(refused.stdout.contains("verdict: BLOCKED: witness cosignatures (exit 31)"))
        #expect(refused.stdout.contains("hint: if the plant has not pushed since the approval"))

        #expect(try push(server).status == 0)
        let refreshed = try h.run(["bundle", "refresh", v2])
        #expect(refreshed.stdout.contains("with 1 witness cosignature(s)"), "\(refreshed)")
        #expect(try deploy(v2).status == 0)

        // A sync file carries the newest cosigned checkpoint to the edge.
        let syncFile = h.dir.file("sync.json")
        let written = try h.run(["edge", "sync-file", "--out", syncFile])
        #expect(written.stdout.contains("witness cosignatures of size"), "\(written)")
        let synced = try CommandRunner.auditctl(["edge", "sync", "--state", state, "--file", syncFile, "--trust-root", trust])
        #expect(synced.status == 0, "\(synced)")
        #expect(synced.stdout.contains("witnessed checkpoint size"), "\(synced)")
        #expect(try h.run(["verify"]).status == 0)
    }

    /// Proposes a change for a new model directory and has it signed until approved.
    func approve(_ id: String, version: String, weights: String) throws -> String {
        let model = h.dir.file("bundles/\(id)")
        try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
        try weights.write(toFile: model + "/model.onnx", atomically: true, encoding: .utf8)
        try h.expectOK(["change", "propose", "--id", id, "--model", "weld-defect", "--version", version, "--type", "promote",
                        "--reason", "release \(version)", "--bundle", model, "--target-zone", "line1-ai",
                        "--user", "alice", "--password-file", h.pw("alice")])
        for (who, meaning) in [("quinn", "reviewed"), ("pat", "approved"), ("otto", "approved")] {
            try h.expectOK(["sign", id, "--meaning", meaning, "--user", who, "--password-file", h.pw(who)])
        }
        return model
    }

    /// `bundle create` and every approver's `bundle sign`; returns what create printed.
    @discardableResult
    func build(_ model: String) throws -> CommandResult {
        let id = (model as NSString).lastPathComponent
        let created = try h.run(["bundle", "create", model, "--change", id, "--user", "alice", "--password-file", h.pw("alice")])
        #expect(created.status == 0, "\(created)")
        for who in ["quinn", "pat", "otto"] {
            try h.expectOK(["bundle", "sign", model, "--user", who, "--password-file", h.pw(who)])
        }
        return created
    }
}

/// A counter shared with the responder's threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.withLock { value += 1; return value } }
}
