import AuditCore
import AuditTesting
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Interactive signing through a real terminal (tmux): the prompts appear, the password is
/// not echoed, and the signature lands in the ledger.
@Suite struct SigningTerminalTests {
    /// One tmux server per test (own socket), so nothing is shared with other tmux users.
    struct Tmux {
        let socket = "auditctl-test-\(UUID().uuidString.prefix(8))"
        let session = "sign"

        /// Spawned with posix_spawn, an empty signal mask and default handlers: the test
        /// runner's threads block signals, tmux relies on them (SIGCHLD, SIGTERM), and its
        /// server would otherwise inherit the mask and never exit. Output goes through a file,
        /// not a pipe, because the server daemon inherits the caller's descriptors.
        func run(_ args: [String]) throws -> (status: Int32, stdout: String) {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).out").path
            defer { try? FileManager.default.removeItem(atPath: out) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var empty = sigset_t(), all = sigset_t()
            sigemptyset(&empty)
            sigfillset(&all)
            posix_spawnattr_setsigmask(&attributes, &empty)
            posix_spawnattr_setsigdefault(&attributes, &all)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            let argv = (["/usr/bin/tmux", "-L", socket] + args).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid = pid_t()
            let rc = posix_spawn(&pid, "/usr/bin/tmux", &actions, &attributes, argv, environ)
            guard rc == 0 else { return (-1, "posix_spawn failed: \(rc)") }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            return ((status >> 8) & 0xff, text)
        }

        func screen() throws -> String { try run(["capture-pane", "-p", "-t", session]).stdout }
        func send(_ keys: String) throws { _ = try run(["send-keys", "-t", session, "-l", keys]); _ = try run(["send-keys", "-t", session, "Enter"]) }

        /// Waits until the screen shows `text` (up to `seconds`).
        func waitFor(_ text: String, seconds: Double = 30) throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            var last = ""
            while Date() < deadline {
                last = try screen()
                if last.contains(text) { return last }
                usleep(100_000)
            }
            Issue.record("timed out waiting for \(text.debugDescription); screen:\n\(last)")
            return last
        }

        func kill() { _ = try? run(["kill-server"]) }
    }

    @Test func interactiveSigningPromptsWithoutEchoAndRecords() throws {
        let h = try RecordsHome.make()
        try h.propose("chg-tty")
        let env = h.env.merging(["AUDITCTL_DATA_DIR": h.data]) { _, n in n }
            .map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        let command = "env \(env) \(CommandRunner.auditctlPath) sign chg-tty --meaning reviewed; echo EXIT=$?; sleep 60"
        let tmux = Tmux()
        defer { tmux.kill() }
        let started = try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "200", "-y", "40", command])
        #expect(started.status == 0, "\(started)")
        _ = try tmux.waitFor("User ID:")
        try tmux.send("quinn")
        _ = try tmux.waitFor("Password:")
        let password = "quinn-password-1"
        try tmux.send(password)
        let screen = try tmux.waitFor("EXIT=")
        #expect(screen.contains("EXIT=0"), "\(screen)")
        #expect(screen.contains("signed chg-tty as reviewed by Quinn QA (quinn)"), "\(screen)")
        #expect(!screen.contains(password), "password echoed:\n\(screen)")
        #expect(try h.entryKinds().suffix(2) == ["signature.added", "change.approved"])
    }

    @Test func interactiveWrongPasswordIsRecordedAndNotEchoed() throws {
        let h = try RecordsHome.make()
        try h.propose("chg-tty2")
        let env = h.env.merging(["AUDITCTL_DATA_DIR": h.data]) { _, n in n }
            .map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        let tmux = Tmux()
        defer { tmux.kill() }
        _ = try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "200", "-y", "40",
                          "env \(env) \(CommandRunner.auditctlPath) sign chg-tty2 --meaning approved; echo EXIT=$?; sleep 60"])
        _ = try tmux.waitFor("User ID:")
        try tmux.send("quinn")
        _ = try tmux.waitFor("Password:")
        try tmux.send("guessing-wrong-99")
        let screen = try tmux.waitFor("EXIT=")
        #expect(screen.contains("EXIT=5"), "\(screen)")
        #expect(screen.contains("error: authentication failed"))
        #expect(!screen.contains("guessing-wrong-99"))
        #expect(try h.entryKinds().last == "auth.failed")
    }
}
