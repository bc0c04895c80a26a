import AuditCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `--state DIR` directory: `state.json` (replaced atomically), `decisions.jsonl`
/// (one line per verify-bundle decision, kept for upload to the ledger as
/// deployment.verified / deployment.blocked when it is reachable again), and a lock file so
/// two verifications on one edge do not interleave their read-modify-write.
public struct EdgeStateStore: Sendable {
    public let directory: String
    public var stateFile: String { directory + "/state.json" }
    public var decisionsFile: String { directory + "/decisions.jsonl" }

    public init(directory: String) { self.directory = directory }

    /// The stored state; an empty state when the directory is new.
    public func load() throws(BundleInputError) -> EdgeState {
        guard FileManager.default.fileExists(atPath: stateFile) else { return EdgeState() }
        return try EdgeState.parse(BoundedFile.read(path: stateFile, limit: Limits.maxEdgeStateFileBytes, what: "edge state"),
                                   file: stateFile)
    }

    public func save(_ state: EdgeState) throws(BundleInputError) {
        try ensureDirectory()
        try AtomicFile.write(Array((state.jsonValue.prettyString() + "\n").utf8), to: stateFile)
    }

    /// Appends one decision record (a JSON object on one line) and fsyncs it.
    public func appendDecision(_ record: JSONValue) throws(BundleInputError) {
        try ensureDirectory()
        let line = Array((record.canonicalString() + "\n").utf8)
        let fd = open(decisionsFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unreadable(path: decisionsFile, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let n = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n == line.count, fsync(fd) == 0 else { throw .unreadable(path: decisionsFile, reason: "cannot append the decision") }
    }

    /// Runs `body` holding an exclusive lock on the state directory.
    public func withLock<T>(_ body: () throws(BundleInputError) -> T) throws(BundleInputError) -> T {
        try ensureDirectory()
        let path = directory + "/lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw .unreadable(path: path, reason: "cannot lock the state directory") }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    private func ensureDirectory() throws(BundleInputError) {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) {
            guard isDir.boolValue else { throw .notADirectory(path: directory) }
            return
        }
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .unreadable(path: directory, reason: "cannot create the state directory")
        }
    }
}
