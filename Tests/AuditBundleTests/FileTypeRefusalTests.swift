import AuditBundle
import AuditCore
import AuditTesting
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// File types and places (issue 9, item 5): bundle metadata must be the bundle's own
/// regular files, ignored paths still get the layout check, every file argument is opened
/// without blocking and refused unless regular, and what the edge writes is owner-only
/// whatever the umask. Every FIFO test has a time limit: the bug was a hang.
@Suite("File-type refusals", .serialized)
struct FileTypeRefusalTests {
    static func trust(_ f: BundleFixture) throws -> String { try VerifyBundleCLITests.trustFile(f) }

    static func replaceWithSymlink(_ path: String, keepingCopyAt copy: String) throws {
        try FileManager.default.moveItem(atPath: path, toPath: copy)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: copy)
    }

    /// The very bytes that verify, but reached through a link out of the bundle.
    @Test func signatureFileThatIsASymlinkOutOfTheBundleIsRefused() throws {
        let f = try BundleFixture()
        try Self.replaceWithSymlink(f.signaturePath, keepingCopyAt: f.directory.file("elsewhere.sig"))
        let r = try f.verify(zone: "line-3", state: EdgeState())
        #expect(r.check(.envelope)?.status == .failed)
        #expect(r.check(.envelope)?.detail.contains("symlink") == true, "\(String(describing: r.check(.envelope)))")
        #expect(r.exitCode == CheckID.envelope.exitCode)
    }

    @Test func approvalProofThatIsASymlinkIsRefused() throws {
        let f = try BundleFixture()
        try Self.replaceWithSymlink(f.proofPath, keepingCopyAt: f.directory.file("elsewhere.json"))
        let r = try f.verify(zone: "line-3", state: EdgeState())
        #expect(r.check(.approvalProof)?.status == .failed)
        #expect(r.check(.approvalProof)?.detail.contains("symlink") == true, "\(String(describing: r.check(.approvalProof)))")
        #expect(!r.mayLoad)
    }

    @Test(.timeLimit(.minutes(1))) func signatureFileThatIsAFifoIsRefusedWithoutHanging() throws {
        let f = try BundleFixture()
        try FileManager.default.removeItem(atPath: f.signaturePath)
        #expect(mkfifo(f.signaturePath, 0o600) == 0)
        let r = try f.verify(zone: "line-3", state: EdgeState())
        #expect(r.check(.envelope)?.status == .failed)
        #expect(r.check(.envelope)?.detail.contains("FIFO") == true)
    }

    /// `.git` is in the signed ignore list: not hashed, but not exempt from the layout check.
    @Test(arguments: ["fifo", "symlink"])
    func ignoredPathsStillGetTheLayoutCheck(kind: String) throws {
        let f = try BundleFixture()
        #expect(f.statement.manifest.serialization.ignorePaths.contains(".git"))
        try FileManager.default.createDirectory(atPath: f.bundle + "/.git", withIntermediateDirectories: true)
        try Data("ref: refs/heads/main\n".utf8).write(to: URL(fileURLWithPath: f.bundle + "/.git/HEAD"))
        let clean = try f.verify(zone: "line-3", state: EdgeState())
        #expect(clean.mayLoad, "regular files in an ignored folder are fine: \(clean.checks)")
        if kind == "fifo" {
            #expect(mkfifo(f.bundle + "/.git/pipe", 0o600) == 0)
        } else {
            try FileManager.default.createSymbolicLink(atPath: f.bundle + "/.git/escape", withDestinationPath: "/etc/passwd")
        }
        let r = try f.verify(zone: "line-3", state: EdgeState())
        #expect(r.check(.layout)?.status == .failed)
        #expect(r.check(.layout)?.detail.contains(".git/") == true, "\(String(describing: r.check(.layout)))")
        #expect(r.check(.fileSet)?.status == .passed, "ignored paths stay out of the file set")
    }

    @Test(.timeLimit(.minutes(1))) func topologyFifoIsRefusedByVerifyBundleAndPolicyCheck() throws {
        let f = try BundleFixture()
        let fifo = f.directory.file("topology.yaml")
        #expect(mkfifo(fifo, 0o600) == 0)
        let v = try CommandRunner.auditctl(["verify-bundle", f.bundle, "--trust-root", try Self.trust(f), "--zone", "line-3",
                                            "--topology", fifo, "--state", f.stateDir])
        #expect(v.status == CheckID.zone.exitCode, "\(v)")
        #expect(v.stdout.contains("FIFO"), "\(v)")
        let p = try CommandRunner.auditctl(["policy", "check", "--topology", fifo])
        #expect(p.status == 3, "\(p)")
        #expect(p.stderr.contains("it is a FIFO, not a regular file"), "\(p)")
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["fifo", "/dev/zero", "directory"])
    func trustRootMustBeARegularFile(kind: String) throws {
        let f = try BundleFixture()
        let path: String
        switch kind {
        case "fifo": path = f.directory.file("trust.fifo"); #expect(mkfifo(path, 0o600) == 0)
        case "directory": path = f.directory.path
        default: path = kind
        }
        let r = try CommandRunner.auditctl(["verify-bundle", f.bundle, "--trust-root", path, "--zone", "line-3", "--state", f.stateDir])
        #expect(r.status == 3, "\(r)")
        #expect(r.stderr.contains("not a regular file"), "\(r)")
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["symlink", "fifo"])
    func edgeStateFileMustBeTheFoldersOwnRegularFile(kind: String) throws {
        let f = try BundleFixture()
        try FileManager.default.createDirectory(atPath: f.stateDir, withIntermediateDirectories: true)
        let stateFile = f.stateDir + "/state.json"
        if kind == "fifo" {
            #expect(mkfifo(stateFile, 0o600) == 0)
        } else {
            let elsewhere = f.directory.file("old-state.json")
            try Data(#"{"version":1,"lastCheckpoint":null,"checkpointHistory":[],"accepted":[]}"#.utf8).write(to: URL(fileURLWithPath: elsewhere))
            try FileManager.default.createSymbolicLink(atPath: stateFile, withDestinationPath: elsewhere)
        }
        let r = try CommandRunner.auditctl(["verify-bundle", f.bundle, "--trust-root", try Self.trust(f), "--zone", "line-3", "--state", f.stateDir])
        #expect(r.status == 3, "\(r)")
        #expect(r.stderr.contains(kind == "fifo" ? "FIFO" : "symlink"), "\(r)")
    }

    /// Under `umask 000` the edge's folder is 0700 and every file in it 0600; the trust root
    /// exported for edges is 0644 (public, never writable by others).
    @Test func edgeFilesAreOwnerOnlyUnderUmask000() throws {
        let f = try BundleFixture()
        let trust = try Self.trust(f)
        let r = try CommandRunner.run("/bin/sh", ["-c", "umask 000 && exec \"$0\" \"$@\"", CommandRunner.auditctlPath,
                                                  "verify-bundle", f.bundle, "--trust-root", trust, "--zone", "line-3",
                                                  "--state", f.stateDir + "/nested/edge"])
        #expect(r.status == 0, "\(r)")
        func mode(_ p: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: p)[.posixPermissions]) as? Int) ?? -1 }
        #expect(mode(f.stateDir) == 0o700)
        #expect(mode(f.stateDir + "/nested/edge") == 0o700)
        for name in ["state.json", "decisions.jsonl", "lock"] {
            #expect(mode(f.stateDir + "/nested/edge/" + name) == 0o600, "\(name): \(String(mode(f.stateDir + "/nested/edge/" + name), radix: 8))")
        }
    }

    @Test(.timeLimit(.minutes(1))) func passwordFileThatIsAFifoIsRefused() throws {
        let f = try BundleFixture()
        let fifo = f.directory.file("pw.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        try Data([1]).write(to: URL(fileURLWithPath: f.directory.file("key.sealed")))
        let r = try CommandRunner.auditctl(["bundle", "sign", f.bundle, "--key-file", f.directory.file("key.sealed"), "--password-file", fifo])
        #expect(r.status == 3, "\(r)")
        #expect(r.stderr.contains("pw.fifo: cannot use the password file: it is a FIFO"), "\(r)")
    }
}
