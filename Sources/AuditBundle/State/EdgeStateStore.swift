import AuditCore
import AuditFiles
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `--state DIR` directory: `state.json` (replaced atomically), `decisions.jsonl`
/// (one line per verify-bundle decision, kept for upload to the ledger as
/// deployment.verified / deployment.blocked when it is reachable again), and a lock file so
/// two verifications on one edge do not interleave their read-modify-write.
///
/// Everything here is created owner-only (folder 0700, files 0600) whatever the umask:
/// whoever can rewrite `state.json` can roll the edge back to an older model. Files are
/// opened without following symlinks, so a link planted in the folder is refused.
public struct EdgeStateStore: Sendable {
    public let directory: String
    public var stateFile: String { directory + "/state.json" }
    public var decisionsFile: String { directory + "/decisions.jsonl" }

    public init(directory: String) { self.directory = directory }

    /// The stored state; an empty state when the directory is new.
    public func load() throws(BundleInputError) -> EdgeState {
        let bytes: [UInt8]
        do {
            bytes = try SafeFileReader.read(stateFile, limit: Limits.maxEdgeStateFileBytes, what: "edge state", symlinks: .refuse)
        } catch {
            if error.problem == .notFound { return EdgeState() }
            throw BundleInputError(error)
        }
        return try EdgeState.parse(bytes, file: stateFile)
    }

    public func save(_ state: EdgeState) throws(BundleInputError) {
        try ensureDirectory()
        try AtomicFile.write(Array((state.jsonValue.prettyString() + "\n").utf8), to: stateFile, mode: SafeFileWriter.privateFile)
    }

    /// Appends one decision record (a JSON object on one line) and fsyncs it.
    public func appendDecision(_ record: JSONValue) throws(BundleInputError) {
        try ensureDirectory()
        let line = Array((record.canonicalString() + "\n").utf8)
        let fd: Int32
        do { fd = try SafeFileWriter.openForAppend(decisionsFile, mode: SafeFileWriter.privateFile, what: "decision log") } catch {
            throw BundleInputError(error)
        }
        defer { close(fd) }
        let n = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n == line.count, fsync(fd) == 0 else { throw .unreadable(path: decisionsFile, reason: "cannot append the decision") }
    }

    /// Runs `body` holding an exclusive lock on the state directory.
    public func withLock<T>(_ body: () throws(BundleInputError) -> T) throws(BundleInputError) -> T {
        try ensureDirectory()
        let path = directory + "/lock"
        let fd: Int32
        do { fd = try SafeFileWriter.openLockFile(path, mode: SafeFileWriter.privateFile, what: "state lock") } catch {
            throw BundleInputError(error)
        }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw .unreadable(path: path, reason: "cannot lock the state directory") }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    private func ensureDirectory() throws(BundleInputError) {
        do { try SafeFileWriter.makeDirectory(directory, mode: SafeFileWriter.privateDirectory, what: "edge state folder") } catch {
            throw BundleInputError(error)
        }
    }
}
