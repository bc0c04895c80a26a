import AuditBundle
import AuditCore
import AuditCrypto
import AuditTesting
import Foundation
import Testing

/// `auditctl verify-bundle` and `auditctl bundle` as an operator runs them: stdout, stderr,
/// exit code. Drives the built binary.
@Suite("verify-bundle CLI", .serialized)
struct VerifyBundleCLITests {
    static func trustFile(_ f: BundleFixture) throws -> String {
        let path = f.directory.file("trust.json")
        try Data(f.trust.encoded).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func validBundleMayLoadWithExitZeroAndStateIsRecorded() throws {
        let f = try BundleFixture()
        let r = try CommandRunner.auditctl(["verify-bundle", f.bundle, "--trust-root", try Self.trustFile(f),
                                            "--zone", "line-3", "--state", f.stateDir])
        #expect(r.status == 0, "\(r)")
        let lines = r.stdout.split(separator: "\n")
        // No witnesses in the trust root: the eleven checks of before, no approval.witness line.
        let reported = CheckID.allCases.filter { $0 != .approvalWitness }
        #expect(lines.count == reported.count + 1)
        #expect(lines.last == "verdict: may load")
        for (line, id) in zip(lines, reported) { #expect(line.hasPrefix("ok    \(id.rawValue)"), "\(line)") }
        #expect(!r.stdout.contains("witness"))
        #expect(r.stderr.isEmpty)
        let state = try EdgeStateStore(directory: f.stateDir).load()
        #expect(state.lastAccepted(model: "defect-detector", zone: "line-3")?.version == "1.2.0")
    }

    @Test func tamperedFileExitsWithTheDigestCodeAndJSONNamesIt() throws {
        let f = try BundleFixture()
        var b = try f.read("config.json"); b[0] ^= 1; try f.write("config.json", b)
        let text = try CommandRunner.auditctl(["verify-bundle", f.bundle, "--trust-root", try Self.trustFile(f), "--no-state", "--any-zone"])
        #expect(text.status == CheckID.fileDigests.exitCode, "\(text)")
        #expect(text.stdout.contains("FAIL  files.digest"))
        #expect(text.stdout.contains("verdict: BLOCKED: file digests (exit 21)"))
        let json = try CommandRunner.auditctl(["verify-bundle", f.bundle, "--trust-root", try Self.trustFile(f), "--json", "--no-state", "--any-zone"])
        #expect(json.status == 21)
        let value = try JSONValue.parse(json.stdout)
        #expect(value["verdict"]?.stringValue == "blocked")
        #expect(value["checks"]?[1]?["code"]?.stringValue == "files.digest")
        #expect(value["checks"]?[1]?["findings"]?[0]?.stringValue?.hasPrefix("config.json: digest") == true)
    }

    @Test func plainFileAndBadTrustRootGiveErrorAndHint() throws {
        let f = try BundleFixture()
        let r = try CommandRunner.auditctl(["verify-bundle", f.signaturePath, "--trust-root", try Self.trustFile(f), "--no-state", "--any-zone"])
        #expect(r.status == 3, "\(r)")
        #expect(r.stderr.hasPrefix("error: "))
        #expect(r.stderr.contains("\nhint: give the model directory"))
        #expect(r.stdout.isEmpty)
        try Data("{".utf8).write(to: URL(fileURLWithPath: f.directory.file("bad.json")))
        let t = try CommandRunner.auditctl(["verify-bundle", f.bundle, "--trust-root", f.directory.file("bad.json"), "--no-state", "--any-zone"])
        #expect(t.status == 3)
        #expect(t.stderr.contains("bad.json"))
    }

    /// bundle create refuses a digest the change did not approve, then writes a bundle that
    /// verifies; bundle sign adds a signature over the same payload bytes.
    @Test func bundleCreateAndSign() throws {
        let f = try BundleFixture()
        try FileManager.default.removeItem(atPath: f.signaturePath)
        let proof = f.directory.file("proof.json")
        try FileManager.default.moveItem(atPath: f.proofPath, toPath: proof)
        let password = f.directory.file("pw")
        try Data("correct horse".utf8).write(to: URL(fileURLWithPath: password))
        var keyFiles: [String] = []
        for (i, a) in f.approvers.enumerated() {
            let path = f.directory.file("key\(i).sealed")
            try Data(try SealedKey.seal(a.key, password: "correct horse", parameters: .testing)).write(to: URL(fileURLWithPath: path))
            keyFiles.append(path)
        }
        let trust = try Self.trustFile(f)
        let digest = try CommandRunner.auditctl(["bundle", "digest", f.bundle])
        #expect(digest.stdout == f.statement.subjectDigest.prefixed + "\n", "\(digest)")

        let common = ["bundle", "create", f.bundle, "--change", "chg-42", "--model", "defect-detector", "--zone", "line-3",
                      "--approval-proof", proof, "--trust-root", trust, "--password-file", password]
        let wrong = try CommandRunner.auditctl(common + ["--version", "1.3.0", "--key-file", keyFiles[0]])
        #expect(wrong.status == 6, "\(wrong)")
        try f.write("extra.bin", [9])
        let changed = try CommandRunner.auditctl(common + ["--version", "1.2.0", "--key-file", keyFiles[0]])
        #expect(changed.status == 6 && changed.stderr.contains("differs from the approved"), "\(changed)")
        try FileManager.default.removeItem(atPath: f.bundle + "/extra.bin")

        let created = try CommandRunner.auditctl(common + ["--version", "1.2.0", "--key-file", keyFiles[0]])
        #expect(created.status == 0, "\(created)")
        let payload = try SignatureFile.read(path: f.signaturePath).envelope.payload
        for key in keyFiles.dropFirst() {
            let s = try CommandRunner.auditctl(["bundle", "sign", f.bundle, "--key-file", key, "--password-file", password])
            #expect(s.status == 0, "\(s)")
        }
        #expect(try SignatureFile.read(path: f.signaturePath).envelope.payload == payload)
        let v = try CommandRunner.auditctl(["verify-bundle", f.bundle, "--trust-root", trust, "--zone", "line-3", "--no-state"])
        #expect(v.status == 0, "\(v)")
        #expect(v.stdout.contains("verdict: may load, but NOT checked (as asked): checkpoint consistency, rollback"), "\(v)")
    }
}
