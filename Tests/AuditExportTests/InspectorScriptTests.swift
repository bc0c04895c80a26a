import AuditExport
import AuditTesting
import Foundation
import Testing

/// The independent check: Docs/inspector-guide.md's Python script (standard library +
/// PyNaCl) accepts a fresh export and rejects tampered ones, without any auditctl code.
extension ExportSuite {
@Suite struct InspectorScriptTests {
    static let script = ExportFixture.repo.appendingPathComponent("scripts/verify_export.py").path

    static func python(_ zip: String, key: String) throws -> (status: Int32, output: String) {
        let r = try CommandRunner.run("/usr/bin/env", ["python3", script, zip, "--log-key", key])
        return (r.status, r.stdout + r.stderr)
    }

    @Test func thePythonScriptAcceptsAFreshExportAndRejectsTamperedOnes() async throws {
        let (f, result) = try await Shared.export()
        let key = f.directory.file("log.vkey")
        try (f.verifierKey.encoded + "\n").write(toFile: key, atomically: true, encoding: .utf8)
        let fresh = try Self.python(result.path, key: key)
        #expect(fresh.status == 0, "\(fresh.output)")
        #expect(fresh.output.contains("ok: \(ExportFixture.origin)") && fresh.output.contains("5 e-signature(s) verified"))

        let context = try await f.export("script-context.zip", request: ExportRequest(selection: .init(changeID: "chg-approved"), site: "x"))
        let withContext = try Self.python(context.path, key: key)
        #expect(withContext.status == 0, "\(withContext.output)")

        let byte = f.directory.file("script-byte.zip")
        try ZipSurgery.rewrite(result.path, to: byte) { name, bytes in
            guard name == "entries.jsonl" else { return bytes }
            return Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "Quinn QA", with: "Quinn QB").utf8)
        }
        let tampered = try Self.python(byte, key: key)
        #expect(tampered.status == 1)
        #expect(tampered.output.contains("FAIL entries.jsonl: SHA-256 or size differs"))
        #expect(tampered.output.contains("does not verify") || tampered.output.contains("do not lead to the signed checkpoint"))

        let dropped = f.directory.file("script-dropped.zip")
        try ZipSurgery.rewrite(result.path, to: dropped) { name, bytes in
            guard name == "entries.jsonl" else { return bytes }
            var lines = ZipSurgery.lines(bytes)
            lines.remove(at: 7)
            return ZipSurgery.join(lines)
        }
        let gap = try Self.python(dropped, key: key)
        #expect(gap.status == 1 && gap.output.contains("expected seq \(result.manifest.firstSeq + 7)"))

        let otherKey = f.directory.file("other.vkey")
        try (try NoteSignerFactory.otherKey() + "\n").write(toFile: otherKey, atomically: true, encoding: .utf8)
        let wrongKey = try Self.python(result.path, key: otherKey)
        #expect(wrongKey.status == 1 && wrongKey.output.contains("FAIL manifest.sig"), "\(wrongKey.output)")
    }
}
}

enum NoteSignerFactory {
    static func otherKey() throws -> String {
        try AuditCryptoBridge.verifierKey(origin: ExportFixture.origin)
    }
}
