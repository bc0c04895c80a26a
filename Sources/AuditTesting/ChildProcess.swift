import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with posix_spawn and waits for it with waitpid, its output captured in
/// temporary files. Foundation's `Process` detects a child's end through a socket the
/// child inherits; a daemon started by that child (`pg_ctl start`), or another child
/// spawned at the same moment, can hold that socket open and leave `waitUntilExit`
/// waiting forever. The PostgreSQL harness therefore does not use it.
enum ChildProcess {
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        let outPath = NSTemporaryDirectory() + "auditctl-child-\(UUID().uuidString).out"
        let errPath = outPath.dropLast(4) + ".err"
        defer {
            unlink(outPath)
            unlink(String(errPath))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, String(errPath), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw PostgresClusterError.command(executable, String(cString: strerror(rc))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: String(errPath), encoding: .utf8)) ?? ""
        return CommandResult(status: code, stdout: out, stderr: err)
    }

    /// Starts a program and does not wait for it (the harness's watchdog).
    static func start(_ executable: String, _ arguments: [String]) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in 0...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        _ = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    }
}
