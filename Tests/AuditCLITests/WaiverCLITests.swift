import AuditCore
@testable import AuditCLI
import AuditPolicy
import AuditTesting
import Foundation
import Testing

extension RecordsHome {
    /// otto (ot-security) enrolled by ada, with his own password, confirmed by bob: the one who may waive.
    func enrollOtto() throws { try enroll(TestCast.otto) }

    func waive(_ finding: String, as user: String = "otto", expires: String = WaiverCLITests.expiry(days: 30),
               topology: String? = WaiverCLITests.topology, reason: String = WaiverCLITests.reason,
               passwordFile: String? = nil) throws -> CommandResult {
        try run(["policy", "waive", "--finding", finding, "--reason", reason, "--expires", expires,
                 "--user", user, "--password-file", passwordFile ?? pw(user)] + (topology.map { ["--topology", $0] } ?? []))
    }

    /// `policy check` run in-process against this data directory's ledger, at any time.
    func checkInProcess(_ topology: String, now: Date) throws -> (output: String, failure: CLIFailure?) {
        let command = try #require(try PolicyCommand.parseAsRoot(["check", "--topology", topology, "--data-dir", data]) as? PolicyCommand.Check)
        let r = try command.execute(waivers: try command.ledgerWaivers(), now: now)
        return (r.output, r.failure)
    }
}

/// `auditctl policy waive` and `policy check` reading waivers from the ledger, through the
/// real binary (AUDITCTL_ARGON2=testing via RecordsHome).
@Suite struct WaiverCLITests {
    static let topology = PolicyCheckTests.example("noncompliant-ai-writes-safety")
    static let finding = "ZR-007:line1-ai>c-line-plc>plc-cell>c-sis-plc>sis"
    static let reason = "SIS gateway replaced by a read-only unit in CC-2026-31"
    static func expiry(days: Double) -> String { UTCTime.format(Date() + days * 86_400) }

    @Test func aWaivedFindingIsReportedAsWaivedAndTheCheckPasses() throws {
        let h = try RecordsHome.make()
        try h.enrollOtto()
        let before = try h.run(["policy", "check", "--topology", Self.topology])
        #expect(before.status == 7, "\(before)")
        #expect(before.stdout.contains("id: \(Self.finding)"))

        let w = try h.waive(Self.finding)
        #expect(w.status == 0, "\(w)")
        #expect(w.stdout.hasPrefix("waived \(Self.finding) by Otto Security (otto) until "), "\(w.stdout)")
        #expect(try h.entryKinds().last == "waiver.granted")

        let after = try h.run(["policy", "check", "--topology", Self.topology])
        #expect(after.status == 0, "\(after)")
        #expect(after.stdout.hasPrefix("site riverside: COMPLIANT"), "\(after.stdout)")
        #expect(after.stdout.contains("0 open, 1 waived"))
        #expect(after.stdout.contains("ZR-007 critical WAIVED by Otto Security (otto) until "))
        #expect(after.stdout.contains("path: line1-ai → [c-line-plc] → plc-cell → [c-sis-plc] → sis"))
        #expect(after.stdout.contains("waiver reason: \(Self.reason)"))

        let json = try ZoneReport.decode(json: Data(h.run(["policy", "check", "--topology", Self.topology, "--json"]).stdout.utf8))
        #expect(json.findings.map(\.fingerprint) == [Self.finding])
        #expect(json.findings.first?.waiver?.waivedBy == "Otto Security (otto)")

        let recorded = try h.run(["policy", "check", "--topology", Self.topology, "--record", "--user", "otto", "--password-file", h.pw("otto")])
        #expect(recorded.status == 0, "\(recorded)")
        let row = try CommandRunner.sqlite(h.data + "/ledger.sqlite",
                                           "SELECT payload FROM entries WHERE kind = 'topology.checked' ORDER BY seq DESC LIMIT 1").stdout
        let payload = try JSONValue.parse(row)
        #expect(payload["waivedFindings"] == .array([.string(Self.finding)]))
        #expect(payload["openFindings"] == .array([]))
        #expect(payload["compliant"] == .bool(true))
        #expect(payload["waivers"]?[0]?["waivedBy"] == "Otto Security (otto)")
        #expect(payload["waivers"]?[0]?["reason"] == .string(Self.reason))
    }

    @Test func waivingOneOfTwoFindingsLeavesTheCheckFailing() throws {
        let h = try RecordsHome.make()
        try h.enrollOtto()
        let topology = PolicyCheckTests.example("noncompliant-dmz-bypass")
        try #require(h.waive("ZR-002:enterprise>c-ent-ops>site-ops>c-ops-line>line1-ai", topology: topology).status == 0)
        let r = try h.run(["policy", "check", "--topology", topology])
        #expect(r.status == 7, "\(r)")
        #expect(r.stdout.contains("1 open, 1 waived"))
        #expect(r.stderr.contains("1 open finding,"))
    }

    @Test func refusalsWriteNothingAndAWrongPasswordIsRecorded() throws {
        let h = try RecordsHome.make()
        try h.enrollOtto()
        let size = try h.entryKinds().count
        expectFailure(try h.waive(Self.finding, as: "quinn"), code: 6, contains: "does not hold the 'ot-security' role")
        expectFailure(try h.waive(Self.finding, as: "ada"), code: 6, contains: "admin")
        expectFailure(try h.waive(Self.finding, expires: Self.expiry(days: -1)), code: 3, contains: "is not in the future")
        expectFailure(try h.waive(Self.finding, expires: Self.expiry(days: 400)), code: 3, contains: "days ahead")
        expectFailure(try h.waive(Self.finding, expires: "next tuesday"), code: 3, contains: "not an RFC 3339 time")
        expectFailure(try h.waive(Self.finding, reason: ""), code: 3, contains: "reason: must not be empty")
        expectFailure(try h.waive("ZR-042:nowhere"), code: 4, contains: "has no finding 'ZR-042:nowhere'")
        expectFailure(try h.waive("ZR-042:nowhere", topology: nil), code: 3, contains: "is not a finding id")
        #expect(try h.entryKinds().count == size)

        try h.write("not-ottos-password", "bad.pw")
        expectFailure(try h.waive(Self.finding, passwordFile: h.dir.file("bad.pw")), code: 5, contains: "user ID or password is wrong")
        #expect(try h.entryKinds().count == size + 1)
        #expect(try h.entryKinds().last == "auth.failed")
        #expect(try h.run(["policy", "check", "--topology", Self.topology]).status == 7)
    }

    @Test func anExpiredWaiverLeavesTheFindingOpenAndAForgedExtensionDoesNotCount() async throws {
        let h = try RecordsHome.make()
        try h.enrollOtto()
        let w = try h.run(["policy", "waive", "--finding", Self.finding, "--reason", Self.reason, "--expires", Self.expiry(days: 1),
                           "--user", "otto", "--password-file", h.pw("otto"), "--json"])
        #expect(w.status == 0, "\(w)")
        // `append` takes free-form kinds only: the waiver cannot be re-appended through it.
        let typed = try h.run(["append", "--kind", "waiver.granted", "--subject", Self.finding, "--payload", "{}",
                               "--user", "otto", "--password-file", h.pw("otto")])
        expectFailure(typed, code: 3, contains: "'waiver.granted' cannot be appended by hand")
        // A tamperer with the files re-appends the waiver with a later expiry and the original
        // signature, the entry itself signed with otto's own key.
        var forged = try #require(JSONValue.parse(w.stdout).objectValue)
        var statement = try #require(forged["statement"]?.objectValue)
        statement["expiresAt"] = .string(Self.expiry(days: 300))
        forged["statement"] = .object(statement)
        forged["seq"] = nil
        forged["authority"] = nil
        let entry = try await h.forge(EntryKind.waiverGranted, actor: "otto", subject: Self.finding, payload: .object(forged),
                                      signedBy: .key(h.privateKey(of: "otto")))

        // Until an admin has investigated it, `policy check` refuses to read waivers at all.
        expectFailure(try h.run(["policy", "check", "--topology", Self.topology]), code: 1,
                      contains: "the ledger needs attention: 1 entry does not hold when replayed, first seq \(entry.seq) (waiver.granted)")
        // verify names the forged entry.
        let (v, report) = try h.verifyReport()
        #expect(v.status == 1, "\(v)")
        #expect(report["firstBadSeq"] == .number(Double(entry.seq)))
        #expect(report["problems"]?[0]?["kind"] == "record-invalid")
        #expect(report["problems"]?[0]?["message"]?.stringValue?.contains("signature bytes do not verify") == true, "\(report)")
        try h.must(["acknowledge", "--admin", "ada", "--admin-password-file", h.pw("ada"), "--reason", "INC-7: forged extension"])

        // The genuine one-day waiver counts; the forged 300-day extension never does.
        let now = try h.checkInProcess(Self.topology, now: Date())
        #expect(now.failure == nil, "\(now.output)")
        let later = try h.checkInProcess(Self.topology, now: Date() + 2 * 86_400)
        #expect(later.failure?.code == .nonCompliant)
        #expect(later.output.contains("ZR-007 critical OPEN"))
        #expect(later.output.contains("expired waiver for \(Self.finding) (by Otto Security (otto)"))
    }
}
