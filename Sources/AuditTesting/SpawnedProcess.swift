import AuditFiles
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `ChildSpawn` (every inherited descriptor above 2 closed) and reaped
/// with waitpid. Long-running servers under test (`auditctl fleet serve`) hold none of this
/// process's pipes or sockets, so they never keep another child's pipe open, and a test can
/// SIGKILL one by pid.
public final class SpawnedProcess: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var status: Int32?
    private var rawStatus: Int32?

    /// Starts `executable` with exactly `environment`; stdin is /dev/null. Output goes to the
    /// files the caller names.
    public convenience init(_ executable: String, _ arguments: [String], environment: [String: String],
                            stdout: String, stderr: String) throws {
        try self.init(executable, arguments, environment: environment, stdout: .file(stdout), stderr: .file(stderr))
    }

    /// Starts `executable` with exactly `environment` and the given streams. A `.descriptor`
    /// stream stays open in this process: the caller closes its copy after the start.
    public init(_ executable: String, _ arguments: [String], environment: [String: String],
                stdin: ChildStream = .null, stdout: ChildStream, stderr: ChildStream,
                currentDirectory: String? = nil) throws {
        pid = try ChildSpawn.start(executable, arguments, environment: environment, stdin: stdin,
                              stdout: stdout, stderr: stderr, currentDirectory: currentDirectory)
    }

    /// This process's environment without auditctl's own variables (as `CommandRunner`
    /// clears them), plus `extra`.
    public static func environment(adding extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AUDITCTL_") || $0.key == "AUDITCTL_BIN" }
        env.merge(extra) { _, new in new }
        return env
    }

    /// Runs a command to its end: exit status and output, as `CommandRunner.run` reports them.
    /// `stdin`, when given, is what the child reads (then end of file); otherwise /dev/null.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                           stdin: String? = nil, currentDirectory: String? = nil) throws -> CommandResult {
        let base = NSTemporaryDirectory() + "auditctl-spawned-\(UUID().uuidString)"
        defer {
            for suffix in [".in", ".out", ".err"] { unlink(base + suffix) }
        }
        var input = ChildStream.null
        if let stdin {
            guard FileManager.default.createFile(atPath: base + ".in", contents: Data(stdin.utf8)) else {
                throw SpawnError(reason: "cannot write the standard input of \(executable) to \(base).in")
            }
            input = .file(base + ".in")
        }
        let child = try SpawnedProcess(executable, arguments, environment: environment, stdin: input,
                                       stdout: .file(base + ".out"), stderr: .file(base + ".err"),
                                       currentDirectory: currentDirectory)
        let status = child.wait()
        return CommandResult(status: status, stdout: (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")
    }

    /// The signal that ended it, once it has ended by one (nil while running or after an exit).
    public var endingSignal: Int32? {
        lock.withLock { rawStatus.flatMap { $0 & 0x7f == 0 ? nil : $0 & 0x7f } }
    }

    /// Whether it has not exited yet (reaps it if it has).
    public var isRunning: Bool {
        lock.withLock {
            guard status == nil else { return false }
            var raw: Int32 = 0
            let r = waitpid(pid, &raw, WNOHANG)
            if r == pid { rawStatus = raw; status = Self.decode(raw) }
            return r == 0
        }
    }

    public func signal(_ signal: Int32) {
        lock.withLock { if status == nil { _ = kill(pid, signal) } }
    }

    /// Waits for the end; the exit code, or 128 + the signal that ended it.
    @discardableResult
    public func wait() -> Int32 {
        lock.withLock {
            if let status { return status }
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
            rawStatus = raw
            status = Self.decode(raw)
            return status!
        }
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            waitpid(pid, &raw, 0)
        }
    }

    static func decode(_ raw: Int32) -> Int32 { ChildExit(waitStatus: raw).code }
}
