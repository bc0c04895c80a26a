import AuditCore
import AuditLedger
import AuditTesting
import Foundation
import Testing

/// A ledger copied to read-only media (a backup, an evidence copy): `verify`, `log`,
/// `proof` and `checkpoint --latest` must work on it. Tests run as root in CI and root ignores
/// file modes, so the truly unwritable case uses `chattr +i` on the copy's directory, which
/// stops root too: SQLite cannot create its `-wal`/`-shm` there and auditctl reads the file
/// immutable. A copy that still has a write-ahead log is refused with a hint, never read
/// without it.
@Suite(.serialized) struct ReadOnlyCopyTests {
    /// A ledger of 10 entries whose write-ahead log is merged into the main file.
    func checkpointedLedger() async throws -> TestLedger {
        let t = try await TestLedger.make(entries: 9)
        let r = try CommandRunner.sqlite(t.home.ledgerPath, "PRAGMA wal_checkpoint(TRUNCATE)")
        #expect(r.status == 0 && r.stdout.hasPrefix("0|"), "\(r)")
        return t
    }

    /// Copies the data directory's ledger and verifier key (with the `-wal` when asked).
    func copy(_ t: TestLedger, withWAL: Bool = false) throws -> (TemporaryDirectory, String) {
        let dir = TemporaryDirectory("readonly-copy")
        let data = dir.file("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false)
        var files = ["ledger.sqlite", "log.vkey"]
        if withWAL { files.append("ledger.sqlite-wal") }
        for f in files { try FileManager.default.copyItem(atPath: t.home.directory + "/" + f, toPath: data + "/" + f) }
        return (dir, data)
    }

    func readCommandsWork(_ data: String, size: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verify = try CommandRunner.auditctl(["verify", "--json"], dataDir: data)
        #expect(verify.status == 0, "\(verify)", sourceLocation: sourceLocation)
        #expect((try? JSONValue.parse(verify.stdout))?["size"]?.int64Value == Int64(size), sourceLocation: sourceLocation)
        let log = try CommandRunner.auditctl(["log", "--json"], dataDir: data)
        #expect(log.status == 0, "\(log)", sourceLocation: sourceLocation)
        #expect((try? JSONValue.parse(log.stdout))?.arrayValue?.count == size, sourceLocation: sourceLocation)
        let proof = try CommandRunner.auditctl(["proof", "inclusion", "--seq", "3"], dataDir: data)
        #expect(proof.status == 0, "\(proof)", sourceLocation: sourceLocation)
        let latest = try CommandRunner.auditctl(["checkpoint", "--latest"], dataDir: data)
        #expect(latest.status == 0 && latest.stdout.contains("\n\(size)\n"), "\(latest)", sourceLocation: sourceLocation)
    }

    @Test func readCommandsWorkOnAModeReadOnlyCopy() async throws {
        let t = try await checkpointedLedger()
        let (dir, data) = try copy(t)
        chmod(data + "/ledger.sqlite", 0o444)
        chmod(data + "/log.vkey", 0o444)
        chmod(data, 0o555)
        defer { chmod(data, 0o755) }
        try readCommandsWork(data, size: 10)
        _ = dir
    }

    @Test(.enabled(if: ImmutableDirectory.supported, "chattr +i is not permitted here (needs CAP_LINUX_IMMUTABLE on ext4/xfs/btrfs)"))
    func readCommandsWorkOnAnUnwritableCopy() async throws {
        let t = try await checkpointedLedger()
        let (dir, data) = try copy(t)
        try ImmutableDirectory.lock(data)
        defer { ImmutableDirectory.unlock(data) }
        try readCommandsWork(data, size: 10)
        let store = try LedgerHome(directory: data).open(readOnly: true)
        #expect(store.access == .immutable)
        #expect(!FileManager.default.fileExists(atPath: data + "/ledger.sqlite-wal"), "nothing is created beside the copy")
        // Writing is refused as a storage error, and the copy stays as it was.
        let password = dir.file("ada.pw")
        try TestCast.password("ada").write(toFile: password, atomically: true, encoding: .utf8)
        let append = try CommandRunner.auditctl(["append", "--kind", EntryKind.noteAdded, "--user", "ada", "--password-file", password],
                                                dataDir: data, environment: ["AUDITCTL_LOG_KEY_FILE": t.keyFile])
        #expect(append.status == 8, "\(append)")
        _ = dir
    }

    @Test(.enabled(if: ImmutableDirectory.supported, "chattr +i is not permitted here (needs CAP_LINUX_IMMUTABLE on ext4/xfs/btrfs)"))
    func anUnwritableCopyWithAWriteAheadLogIsRefusedWithAHint() async throws {
        let t = try await checkpointedLedger()
        for i in 0..<3 { try await t.store.append(TestLedger.sampleDraft(100 + i)) } // now in the -wal only
        let (dir, data) = try copy(t, withWAL: true)
        try ImmutableDirectory.lock(data)
        defer { ImmutableDirectory.unlock(data) }
        let r = try CommandRunner.auditctl(["verify"], dataDir: data)
        #expect(r.status == 8, "\(r)")
        #expect(r.stderr.contains("write-ahead log") && r.stderr.contains("hint:") && r.stderr.contains("wal_checkpoint"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        _ = dir
    }
}

/// `chattr +i` on a directory: nobody, root included, may create files in it.
enum ImmutableDirectory {
    static let supported: Bool = {
        let probe = TemporaryDirectory("chattr-probe")
        guard (try? lock(probe.path)) != nil else { return false }
        defer { unlock(probe.path) }
        return !FileManager.default.createFile(atPath: probe.file("x"), contents: Data())
    }()

    static func lock(_ path: String) throws {
        let r = try CommandRunner.run("/usr/bin/chattr", ["+i", path])
        guard r.status == 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
    }

    static func unlock(_ path: String) {
        _ = try? CommandRunner.run("/usr/bin/chattr", ["-i", path])
    }
}
