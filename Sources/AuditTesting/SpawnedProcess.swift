import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn through bash, which first closes every
/// descriptor above 2 it inherited, and reaped with waitpid. Long-running servers under test
/// (`auditctl fleet serve`) hold none of this process's pipes or sockets, so they never keep
/// another child's `Process.waitUntilExit` waiting (`ChildProcess` explains that hazard), and
/// a test can SIGKILL one by pid. Output goes to files the caller names.
public final class SpawnedProcess: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `executable` with exactly `environment`; stdin is /dev/null.
    public init(_ executable: String, _ arguments: [String], environment: [String: String],
                stdout: String, stderr: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let script = PostgresCluster.closeInheritedDescriptors + #"exec "$@""#
        let argv = (["/bin/bash", "-c", script, "bash", executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/bash", &actions, nil, argv, envp)
        guard rc == 0 else { throw SpawnError(reason: "posix_spawn \(executable): \(String(cString: strerror(rc)))") }
        self.pid = pid
    }

    /// This process's environment without auditctl's own variables (as `CommandRunner`
    /// clears them), plus `extra`.
    public static func environment(adding extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AUDITCTL_") || $0.key == "AUDITCTL_BIN" }
        env.merge(extra) { _, new in new }
        return env
    }

    /// Runs a command to its end: exit status and output, as `CommandRunner.run` reports them.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> CommandResult {
        let base = NSTemporaryDirectory() + "auditctl-spawned-\(UUID().uuidString)"
        defer {
            unlink(base + ".out")
            unlink(base + ".err")
        }
        let child = try SpawnedProcess(executable, arguments, environment: environment, stdout: base + ".out", stderr: base + ".err")
        let status = child.wait()
        return CommandResult(status: status, stdout: (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")
    }

    /// Whether it has not exited yet (reaps it if it has).
    public var isRunning: Bool {
        lock.withLock {
            guard status == nil else { return false }
            var raw: Int32 = 0
            let r = waitpid(pid, &raw, WNOHANG)
            if r == pid { status = Self.decode(raw) }
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

    static func decode(_ raw: Int32) -> Int32 {
        raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }
}

public struct SpawnError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
