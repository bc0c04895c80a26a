import AuditTesting
import Foundation
import Testing

/// Files auditctl writes for the operator (`--out`) get an exact mode whatever the umask:
/// the trust root and checkpoints are public (0644) but never group- or world-writable,
/// which a plain create under `umask 000` would make them.
@Suite struct OutputFileModeTests {
    @Test func trustRootAndCheckpointAre0644UnderUmask000() throws {
        let h = try RecordsHome.make()
        let trust = h.dir.file("trust-root.json"), checkpoint = h.dir.file("latest.checkpoint")
        for args in [["trust-root", "export", "--out", trust], ["checkpoint", "--latest", "--out", checkpoint]] {
            let r = try CommandRunner.run("/bin/sh", ["-c", "umask 000 && exec \"$0\" \"$@\"", CommandRunner.auditctlPath] + args,
                                          environment: h.env.merging(["AUDITCTL_DATA_DIR": h.data]) { _, n in n })
            #expect(r.status == 0, "\(args): \(r)")
        }
        for path in [trust, checkpoint] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o644, "\(path): \(String(mode ?? -1, radix: 8))")
        }
    }
}
