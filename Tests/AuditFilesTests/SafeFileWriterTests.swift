import AuditFiles
import AuditTesting
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Modes are exact whatever the umask. `umask` is process-wide, so these tests are
/// serialized and restore it; they set 000, the worst case the issue names.
@Suite(.serialized) struct SafeFileWriterTests {
    let dir = TemporaryDirectory("safe-write")

    func mode(_ path: String) -> mode_t {
        var st = stat()
        _ = lstat(path, &st)
        return st.st_mode & 0o777
    }

    func withUmask<T>(_ mask: mode_t, _ body: () throws -> T) rethrows -> T {
        let old = umask(mask)
        defer { umask(old) }
        return try body()
    }

    @Test func replaceSetsTheExactModeUnderUmask000() throws {
        try withUmask(0) {
            try SafeFileWriter.replace(dir.file("state.json"), with: [1], mode: SafeFileWriter.privateFile, what: "t")
            try SafeFileWriter.replace(dir.file("trust.json"), with: [1], mode: SafeFileWriter.publicFile, what: "t")
        }
        #expect(mode(dir.file("state.json")) == 0o600)
        #expect(mode(dir.file("trust.json")) == 0o644)
    }

    @Test func replaceOverwritesAtomicallyAndLeavesNoTemporaryFile() throws {
        try SafeFileWriter.replace(dir.file("f"), with: [1, 2], mode: 0o600, what: "t")
        try SafeFileWriter.replace(dir.file("f"), with: [3], mode: 0o600, what: "t")
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir.file("f")))) == [3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["f"])
    }

    @Test func makeDirectoryCreatesEveryLevel0700UnderUmask000() throws {
        let deep = dir.file("a/b/c")
        try withUmask(0) { try SafeFileWriter.makeDirectory(deep, mode: SafeFileWriter.privateDirectory, what: "t") }
        for p in [dir.file("a"), dir.file("a/b"), deep] { #expect(mode(p) == 0o700, "\(p)") }
    }

    @Test func makeDirectoryRefusesAFileInTheWay() throws {
        FileManager.default.createFile(atPath: dir.file("plain"), contents: Data())
        #expect(throws: FileAccessError.self) { try SafeFileWriter.makeDirectory(dir.file("plain"), mode: 0o700, what: "t") }
    }

    @Test func appendAndLockFilesAre0600UnderUmask000() throws {
        try withUmask(0) {
            close(try SafeFileWriter.openForAppend(dir.file("decisions.jsonl"), mode: 0o600, what: "t"))
            close(try SafeFileWriter.openLockFile(dir.file("lock"), mode: 0o600, what: "t"))
        }
        #expect(mode(dir.file("decisions.jsonl")) == 0o600)
        #expect(mode(dir.file("lock")) == 0o600)
    }

    /// A FIFO or symlink planted where the decision log goes is refused, not written through.
    @Test(.timeLimit(.minutes(1))) func appendRefusesFifoAndSymlink() throws {
        #expect(mkfifo(dir.file("fifo"), 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir.file("link"), withDestinationPath: "/tmp/elsewhere")
        for name in ["fifo", "link"] {
            do { close(try SafeFileWriter.openForAppend(dir.file(name), mode: 0o600, what: "t")); Issue.record("\(name) accepted") } catch {
                #expect(error.problem == .notRegularFile(kind: "FIFO") || error.problem == .symlink, "\(name): \(error)")
            }
        }
    }
}
