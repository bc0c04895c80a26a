import Foundation

/// A throwaway PostgreSQL cluster for tests: `initdb` into a fresh folder under /tmp, a
/// server on a free 127.0.0.1 port with its unix socket in that folder, password (SCRAM)
/// authentication over TCP. One cluster is shared per test process (startup takes seconds),
/// each test makes its own database. The server is stopped and the folder removed at exit;
/// a watchdog does the same if the test process is killed. As root it runs as the `postgres`
/// user (initdb refuses root). Missing binaries are an error, never a silent skip.
public final class PostgresCluster: Sendable {
    public let directory: String
    public let port: Int
    public let user = "auditctl"
    public let password: String
    let binDirectory: String
    let runAs: String?

    /// The per-process cluster, started on first use.
    public static func shared() throws -> PostgresCluster {
        try SharedCluster.get()
    }

    /// A new empty database; returns its URL (`postgres://…`).
    public func createDatabase(prefix: String = "fleet") throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        let result = try psql(database: "postgres", "CREATE DATABASE \(name)")
        guard result.status == 0 else { throw PostgresClusterError.command("CREATE DATABASE", result.description) }
        return url(database: name)
    }

    public func url(database: String) -> String {
        "postgres://\(user):\(password)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Runs SQL through `psql` (as a database administrator would by hand); `-v ON_ERROR_STOP=1`.
    @discardableResult
    public func psql(database: String, _ sql: String) throws -> CommandResult {
        try ChildProcess.run(binDirectory + "/psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                                                       "-p", String(port), "-U", user, "-d", database, "-c", sql],
                              environment: ["PGPASSWORD": password, "PGCONNECT_TIMEOUT": "10"])
    }

    /// The database name in a URL this cluster made.
    public static func databaseName(of url: String) -> String {
        String(url.split(separator: "/").last?.split(separator: "?").first ?? "")
    }

    /// Stops the server immediately and removes the folder.
    public func stop() {
        _ = try? runTool("pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Restarts the server on the same port (tests of a database restart under load).
    public func restart() throws {
        let result = try runTool("pg_ctl", ["-D", directory + "/data", "-m", "fast", "-w", "-t", "60", "restart"])
        guard result.status == 0 else { throw PostgresClusterError.command("pg_ctl restart", result.description) }
    }

    init(binDirectory: String) throws {
        self.binDirectory = binDirectory
        self.runAs = getuid() == 0 ? "postgres" : nil
        self.password = "pw-" + UUID().uuidString.prefix(18).replacingOccurrences(of: "-", with: "")
        var template = Array("/tmp/auditctl-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw PostgresClusterError.command("mkdtemp", String(cString: strerror(errno))) }
        directory = String(cString: made)
        if let runAs {
            guard let pw = getpwnam(runAs) else {
                throw PostgresClusterError.command("getpwnam", "running as root needs the '\(runAs)' user, which the Debian postgresql package creates")
            }
            chown(directory, pw.pointee.pw_uid, pw.pointee.pw_gid)
        }
        chmod(directory, 0o700)
        port = try Self.freePort()
        do {
            let pwfile = directory + "/pwfile"
            _ = FileManager.default.createFile(atPath: pwfile, contents: Data(password.utf8))
            if let runAs, let pw = getpwnam(runAs) { chown(pwfile, pw.pointee.pw_uid, pw.pointee.pw_gid) }
            let initdb = try runTool("initdb", ["-D", directory + "/data", "-U", user, "--pwfile=\(pwfile)", "-E", "UTF8",
                                                "--no-locale", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"])
            guard initdb.status == 0 else { throw PostgresClusterError.command("initdb", initdb.description) }
            unlink(pwfile)
            let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c max_connections=300 "
                + "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=128MB"
            let start = try runTool("pg_ctl", ["-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60",
                                               "-o", options, "start"])
            guard start.status == 0 else {
                let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
                throw PostgresClusterError.command("pg_ctl start", start.description + "\n--- server.log\n" + log)
            }
        } catch {
            stop()
            throw error
        }
        startWatchdog()
    }

    /// Runs a PostgreSQL tool (as `runAs` when root) through bash, which first closes every
    /// descriptor above 2, so the daemon `pg_ctl start` leaves behind holds none of this
    /// process's pipes or sockets (`ChildProcess` explains why that matters).
    private func runTool(_ tool: String, _ arguments: [String]) throws -> CommandResult {
        let command = (runAs.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? []) + [binDirectory + "/" + tool] + arguments
        let script = Self.closeInheritedDescriptors + #"exec "$@""#
        return try ChildProcess.run("/bin/bash", ["-c", script, "bash"] + command)
    }

    static let closeInheritedDescriptors = #"for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; "#

    /// A shell that waits for this process to end, then stops the server and removes the
    /// folder: covers a test run that is killed before `atexit` handlers run.
    private func startWatchdog() {
        let stop = (runAs.map { "/usr/sbin/runuser -u \($0) -- " } ?? "") + "\(binDirectory)/pg_ctl -D \(directory)/data -m immediate stop"
        // A killed test process can linger as a zombie, which `kill -0` still finds.
        let pid = getpid()
        let script = Self.closeInheritedDescriptors
            + "while kill -0 \(pid) 2>/dev/null && [ \"$(cut -d' ' -f3 /proc/\(pid)/stat 2>/dev/null)\" != Z ]; do sleep 1; done; "
            + "\(stop) >/dev/null 2>&1; rm -rf \(directory)"
        // In its own session, so killing the test run's process group does not take it along.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/setsid") {
            ChildProcess.start("/usr/bin/setsid", ["/bin/bash", "-c", script])
        } else {
            ChildProcess.start("/bin/bash", ["-c", script])
        }
    }

    /// A port the kernel just handed out on 127.0.0.1 (closed again before the server binds it).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PostgresClusterError.command("socket", String(cString: strerror(errno))) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw PostgresClusterError.command("bind", String(cString: strerror(errno))) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The folder holding initdb and pg_ctl: `AUDITCTL_PG_BIN`, else the newest
    /// /usr/lib/postgresql/<version>/bin (Debian's layout).
    static func findBinaries() throws -> String {
        let fm = FileManager.default
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["AUDITCTL_PG_BIN"] { candidates.append(env) }
        let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).sorted(by: >)
        candidates += versions.map { "/usr/lib/postgresql/\($0)/bin" }
        for dir in candidates where ["initdb", "pg_ctl", "psql"].allSatisfy({ fm.isExecutableFile(atPath: "\(dir)/\($0)") }) {
            return dir
        }
        throw PostgresClusterError.missingBinaries
    }
}

public enum PostgresClusterError: Error, CustomStringConvertible {
    case missingBinaries
    case command(String, String)

    public var description: String {
        switch self {
        case .missingBinaries:
            return "PostgreSQL server binaries (initdb, pg_ctl, psql) not found under /usr/lib/postgresql/*/bin or $AUDITCTL_PG_BIN: run `make deps`, which installs the Debian package postgresql"
        case let .command(what, output):
            return "starting the test PostgreSQL failed at \(what): \(output)"
        }
    }
}

/// The one cluster of this test process, and its stop at exit.
private enum SharedCluster {
    nonisolated(unsafe) static var instance: PostgresCluster?
    nonisolated(unsafe) static var failure: (any Error)?
    static let lock = NSLock()

    static func get() throws -> PostgresCluster {
        lock.lock()
        defer { lock.unlock() }
        if let instance { return instance }
        if let failure { throw failure }
        do {
            let cluster = try PostgresCluster(binDirectory: PostgresCluster.findBinaries())
            instance = cluster
            atexit { SharedCluster.instance?.stop() }
            return cluster
        } catch {
            failure = error
            throw error
        }
    }
}
