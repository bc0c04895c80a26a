import AuditFiles
import AuditTesting
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every refusal of `SafeFileReader`, each with an input that would otherwise hang, slurp
/// or escape: FIFOs, devices, folders, symlinks where the file itself is required, files
/// over the bound, and missing files.
@Suite struct SafeFileReaderTests {
    let dir = TemporaryDirectory("safe-read")

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = dir.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func problem(_ body: () throws(FileAccessError) -> [UInt8]) -> FileAccessError.Problem? {
        do { _ = try body(); return nil } catch { return error.problem }
    }

    @Test func readsARegularFileWhole() throws {
        let path = try write("a.json", Array("{\"a\":1}\n".utf8))
        #expect(try SafeFileReader.read(path, limit: 100, what: "test") == Array("{\"a\":1}\n".utf8))
    }

    @Test func fileAtTheLimitIsReadOneByteOverIsRefusedBeforeReading() throws {
        let path = try write("big", [UInt8](repeating: 7, count: 1025))
        #expect(problem { () throws(FileAccessError) in try SafeFileReader.read(path, limit: 1025, what: "t") } == nil)
        #expect(problem { () throws(FileAccessError) in try SafeFileReader.read(path, limit: 1024, what: "t") }
                == .tooLarge(size: 1025, limit: 1024))
    }

    /// A FIFO with no writer would block `open` (and `read`) forever; it is refused at once.
    @Test(.timeLimit(.minutes(1))) func fifoIsRefusedWithoutBlocking() throws {
        let path = dir.file("pipe")
        #expect(mkfifo(path, 0o600) == 0)
        #expect(problem { () throws(FileAccessError) in try SafeFileReader.read(path, limit: 1024, what: "t") }
                == .notRegularFile(kind: "FIFO"))
    }

    /// /dev/zero never ends; a character device is refused from its type, not read.
    @Test func characterDeviceIsRefused() {
        #expect(problem { () throws(FileAccessError) in try SafeFileReader.read("/dev/zero", limit: 1024, what: "t") }
                == .notRegularFile(kind: "character device"))
    }

    @Test func directoryIsRefused() {
        #expect(problem { () throws(FileAccessError) in try SafeFileReader.read(dir.path, limit: 1024, what: "t") }
                == .notRegularFile(kind: "directory"))
    }

    @Test func missingFileIsNotFound() {
        #expect(problem { () throws(FileAccessError) in try SafeFileReader.read(dir.file("nope"), limit: 1, what: "t") } == .notFound)
    }

    @Test func symlinkIsFollowedForArgumentsAndRefusedForMembers() throws {
        let target = try write("real", [1, 2, 3])
        let link = dir.file("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(try SafeFileReader.read(link, limit: 10, what: "t", symlinks: .follow) == [1, 2, 3])
        #expect(problem { () throws(FileAccessError) in try SafeFileReader.read(link, limit: 10, what: "t", symlinks: .refuse) } == .symlink)
    }

    @Test func symlinkToAFifoIsRefusedEvenWhenFollowed() throws {
        let fifo = dir.file("pipe2")
        #expect(mkfifo(fifo, 0o600) == 0)
        let link = dir.file("to-pipe")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fifo)
        #expect(problem { () throws(FileAccessError) in try SafeFileReader.read(link, limit: 10, what: "t") } == .notRegularFile(kind: "FIFO"))
    }

    @Test func errorNamesTheFileAndWhatItIsFor() {
        do { _ = try SafeFileReader.read("/dev/null", limit: 10, what: "topology"); Issue.record("accepted /dev/null") } catch {
            #expect(error.description == "/dev/null: cannot use the topology: it is a character device, not a regular file")
        }
    }
}
