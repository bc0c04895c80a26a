import Foundation
import Testing
@testable import AuditCLI
import AuditPolicy
import AuditCore
import AuditCrypto
import AuditTesting

/// `policy check` through the ArgumentParser command (parsed from argv as the binary would,
/// but run in-process; binary-level tests follow once AuditCommand registers PolicyCommand).
@Suite struct PolicyCheckTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func example(_ name: String) -> String {
        root.appendingPathComponent("Policies/examples/\(name).yaml").path
    }

    private func check(_ arguments: [String]) throws -> (output: String, failure: CLIFailure?) {
        let parsed = try PolicyCommand.parseAsRoot(["check"] + arguments)
        let command = try #require(parsed as? PolicyCommand.Check)
        let r = try command.execute(now: Date(timeIntervalSince1970: 1_800_000_000))
        return (r.output, r.failure)
    }

    private func failure(_ arguments: [String]) -> CLIFailure? {
        do {
            return try check(arguments).failure
        } catch {
            return error as? CLIFailure
        }
    }

    @Test func compliantPlantExitsZero() throws {
        let result = try check(["--topology", Self.example("compliant-plant")])
        #expect(result.failure == nil)
        #expect(result.output.hasPrefix("site riverside: COMPLIANT"))
    }

    @Test func findingsExitSevenWithExplainedPath() throws {
        let result = try check(["--topology", Self.example("noncompliant-ai-writes-safety")])
        #expect(result.failure?.code == .nonCompliant)
        #expect(result.failure?.code.rawValue == 7)
        #expect(result.output.contains("path: line1-ai → [c-line-plc] → plc-cell → [c-sis-plc] → sis"))
    }

    @Test func jsonOutputIsTheReport() throws {
        let result = try check(["--topology", Self.example("noncompliant-dmz-bypass"), "--json"])
        let report = try ZoneReport.decode(json: Data(result.output.utf8))
        #expect(report.findings.map(\.ruleID) == [.dmzBypass, .dmzBypass])
        #expect(report.topologyDigest?.hasPrefix("sha256:") == true)
        #expect(result.failure?.code == .nonCompliant)
    }

    @Test func inconsistentDeclarationsAreMalformedInput() {
        let path = Self.example("noncompliant-inconsistent")
        let failure = failure(["--topology", path])
        #expect(failure?.code == .malformedInput)
        #expect(failure?.message.hasPrefix("\(path):71: zone id 'dmz' is declared twice") == true)
    }

    @Test func missingAndMalformedFiles() throws {
        #expect(failure(["--topology", "/nonexistent/plant.yaml"])?.code == .notFound)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zones-bad-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("version: 1\nsite: {id: s, name: S}\nzones: []\nextra: 1\n".utf8).write(to: url)
        let malformed = failure(["--topology", url.path])
        #expect(malformed?.code == .malformedInput)
        #expect(malformed?.message.hasPrefix("\(url.path):4:") == true)
    }

    @Test func rulesFileTunesSeverity() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zones-rules-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("version: 1\nrules:\n  ZR-002:\n    severity: medium\n".utf8).write(to: url)
        let result = try check(["--topology", Self.example("noncompliant-dmz-bypass"), "--rules", url.path, "--json"])
        let report = try ZoneReport.decode(json: Data(result.output.utf8))
        #expect(report.findings.map(\.severity) == [.medium, .medium])
    }
}

/// `policy check` through the real binary, including `--record` into a real ledger.
@Suite struct PolicyCheckBinaryTests {
    /// `--record` appends `topology.checked` signed by the authenticated user, and the
    /// ledger still verifies afterwards (the entry's authority holds on replay).
    @Test func recordsDigestAndResult() async throws {
        let h = try TestRecordsHome.make(people: TestRecordsHome.defaultPeople + [TestCast.otto])
        let topo = PolicyCheckTests.example("noncompliant-dmz-bypass")
        let size = try h.size()
        let r = try h.run(["policy", "check", "--topology", topo, "--record", "--user", "otto", "--password-file", h.pw("otto")])
        #expect(r.status == 7, "\(r)")
        #expect(r.stderr.contains("recorded as ledger seq \(size)"))
        let e = try #require(JSONValue.parse(h.run(["log", "--json", "--kind", "topology.checked"]).stdout).arrayValue?.last)
        #expect(e["seq"] == .number(Double(size)))
        #expect(e["actor"] == "otto")
        #expect(e["payload"]?["authority"]?.arrayValue?.count == 1)
        let digest = SHA256.hash([UInt8](try Data(contentsOf: URL(fileURLWithPath: topo))))
        #expect(e["payload"]?["topologyDigest"] == .string(digest.prefixed))
        #expect(e["payload"]?["compliant"] == .bool(false))
        #expect(e["payload"]?["openFindings"]?.arrayValue?.count == 2)

        let ok = try h.run(["policy", "check", "--topology", PolicyCheckTests.example("compliant-plant"),
                            "--record", "--user", "otto", "--password-file", h.pw("otto")])
        #expect(ok.status == 0, "\(ok)")
        #expect(ok.stderr.contains("recorded as ledger seq \(size + 1)"), "\(ok)")
        #expect(try h.size() == size + 2)
        let last = try #require(JSONValue.parse(h.run(["log", "--json", "--kind", "topology.checked"]).stdout).arrayValue?.last)
        #expect(last["payload"]?["compliant"] == .bool(true))
        let v = try h.run(["verify"])
        #expect(v.status == 0, "\(v)")
    }

    /// Recording evidence needs a role in force: a person whose role still waits for a
    /// second admin's confirmation may not record, and nothing is written.
    @Test func recordingNeedsARoleInForce() throws {
        let h = try TestRecordsHome.make(people: [])
        try h.enroll(TestCast.otto, confirmer: nil)
        let size = try h.size()
        let topo = PolicyCheckTests.example("compliant-plant")
        let pending = try h.run(["policy", "check", "--topology", topo, "--record", "--user", "otto", "--password-file", h.pw("otto")])
        #expect(pending.status == 6, "\(pending)")
        #expect(pending.stderr.contains("error: 'otto' holds no role in force that may record evidence"), "\(pending)")
        #expect(try h.size() == size)
        // No --user on a non-terminal: a usage error, nothing written.
        let anonymous = try h.run(["policy", "check", "--topology", topo, "--record"])
        #expect(anonymous.status == 64, "\(anonymous)")
        #expect(anonymous.stderr.contains("no user ID given"))
        #expect(try h.size() == size)
        #expect(try h.run(["verify"]).status == 0)
    }

    @Test func malformedTopologyRecordsNothing() async throws {
        let t = try await TestLedger.make()
        let bad = t.directory.file("bad.yaml")
        try "site: x\nzones: [\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try CommandRunner.auditctl(["policy", "check", "--topology", bad, "--record", "--user", "a",
                                            "--log-key-file", t.keyFile], dataDir: t.home.directory)
        #expect(r.status == 3, "\(r)")
        #expect(r.stderr.hasPrefix("error: \(bad):"))
        #expect(try t.store.size() == 1)
    }
}
