import AuditCore
import AuditExport
import AuditTesting
import Foundation
import Testing

/// `auditctl export` and `auditctl verify-export` as a user runs them: stdout, stderr and
/// the documented exit codes (Docs/exit-codes.md).
extension ExportSuite {
@Suite struct ExportCLITests {
    static func auditctl(_ args: [String], env: [String: String] = [:]) throws -> CommandResult {
        try CommandRunner.run(CommandRunner.auditctlPath, args, environment: env)
    }

    static func setUp(_ f: ExportFixture) throws -> (common: [String], vkey: String) {
        let pw = f.directory.file("ivy.pw")
        try (ExportFixture.password("ivy") + "\n").write(toFile: pw, atomically: true, encoding: .utf8)
        let quinn = f.directory.file("quinn.pw")
        try (ExportFixture.password("quinn") + "\n").write(toFile: quinn, atomically: true, encoding: .utf8)
        let vkey = f.directory.file("cli.vkey")
        try (f.verifierKey.encoded + "\n").write(toFile: vkey, atomically: true, encoding: .utf8)
        return (["--data-dir", f.home.directory, "--log-key-file", f.directory.file("log.key")], vkey)
    }

    @Test func exportThenVerifyExportWithTheDocumentedExitCodes() async throws {
        let f = try await Shared.fixture()
        let (common, vkey) = try Self.setUp(f)
        let out = f.directory.file("cli-export.zip")
        let before = try f.store.size()
        let export = try Self.auditctl(["export"] + common + ["--user", "ivy", "--password-file", f.directory.file("ivy.pw"),
                                                              "--out", out, "--site", "Plant 3, Line 1", "--json"])
        #expect(export.status == 0, "\(export)")
        let json = try JSONValue.parse(export.stdout)
        #expect(json["path"]?.stringValue == out && json["recordedSeq"]?.int64Value == Int64(before))
        #expect(export.stderr.isEmpty, "no progress bar when stderr is not a terminal: \(export.stderr)")

        let ok = try Self.auditctl(["verify-export", out, "--log-key", vkey])
        #expect(ok.status == 0, "\(ok)")
        #expect(ok.stdout.hasPrefix("ok: export of \(ExportFixture.origin) (Plant 3, Line 1)"))
        #expect(ok.stdout.contains("what this export cannot prove:") && ok.stdout.contains("(given with --log-key)"))
        let okJSON = try Self.auditctl(["verify-export", out, "--log-key", vkey, "--json"])
        #expect(try JSONValue.parse(okJSON.stdout)["ok"]?.boolValue == true)

        let tampered = f.directory.file("cli-tampered.zip")
        try ZipSurgery.rewrite(out, to: tampered) { name, bytes in
            name == "audit-trail.csv" ? Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "Quinn QA", with: "Quinn Q.").utf8) : bytes
        }
        let bad = try Self.auditctl(["verify-export", tampered, "--log-key", vkey])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("error: export verification failed: audit-trail.csv"))
        #expect(bad.stderr.contains("\nhint: "))
        #expect(bad.stdout.contains("FAIL audit-trail.csv line") && bad.stdout.contains("column summary says"))

        #expect(try Self.auditctl(["verify-export", f.directory.file("absent.zip")]).status == 4)
        let notZip = f.directory.file("not.zip")
        try "hello".write(toFile: notZip, atomically: true, encoding: .utf8)
        let unreadable = try Self.auditctl(["verify-export", notZip])
        #expect(unreadable.status == 3 && unreadable.stderr.hasPrefix("error: ") && unreadable.stderr.contains("not a ZIP"))
    }

    @Test func refusalsExitWithTheirCodesAndWriteNothing() async throws {
        let f = try await Shared.fixture()
        let (common, _) = try Self.setUp(f)
        let out = f.directory.file("refused.zip")
        let quinn = try Self.auditctl(["export"] + common + ["--user", "quinn", "--password-file", f.directory.file("quinn.pw"), "--out", out])
        #expect(quinn.status == 6 && quinn.stderr.contains("only they generate exports"))
        let wrong = try Self.auditctl(["export"] + common + ["--user", "ivy", "--password-file", f.directory.file("quinn.pw"), "--out", out])
        #expect(wrong.status == 5)
        let date = try Self.auditctl(["export"] + common + ["--user", "ivy", "--password-file", f.directory.file("ivy.pw"), "--out", out, "--from", "March 1"])
        #expect(date.status == 3 && date.stderr.contains("--from 'March 1' is not a date"))
        let noPDF = try Self.auditctl(["export"] + common + ["--user", "ivy", "--password-file", f.directory.file("ivy.pw"), "--out", out, "--pdf"],
                                      env: ["PATH": "/nonexistent"])
        #expect(noPDF.status == 4 && noPDF.stderr.contains("error: cannot write report.pdf: no headless Chromium"))
        #expect(noPDF.stderr.contains("hint: install Chromium"))
        let noKey = try Self.auditctl(["export", "--data-dir", f.home.directory, "--user", "ivy", "--password-file", f.directory.file("ivy.pw"), "--out", out])
        #expect(noKey.status == 5 && noKey.stderr.contains("the log key is not unlocked"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
}
