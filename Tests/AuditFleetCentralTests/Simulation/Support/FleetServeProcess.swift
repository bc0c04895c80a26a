import AuditTesting
import Foundation

/// `auditctl fleet serve` as a child process, run as an operator runs it: started on a port,
/// killed with SIGKILL or stopped with SIGTERM, started again on the same port (plants keep
/// their URL). Output goes to files, one pair per start, kept for a failing test's message.
final class FleetServeProcess: @unchecked Sendable {
    let arguments: [String]
    let logDirectory: String
    private(set) var port = 0
    private var child: SpawnedProcess?
    private var starts = 0
    private let lock = NSLock()

    init(database: String, keyDirectory: String, passwordFile: String, logDirectory: String) {
        arguments = ["fleet", "serve", "--database", database, "--key-dir", keyDirectory, "--key-password-file", passwordFile]
        self.logDirectory = logDirectory
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var isRunning: Bool { lock.withLock { child?.isRunning ?? false } }

    /// Starts the service (on the port of the first start, a fresh one the first time) and
    /// returns once it prints its "serving at" line. `environment` adds variables, e.g. a
    /// faked clock.
    func start(environment: [String: String] = [:], timeout: Double = 60) throws {
        let (child, out, err) = try lock.withLock { () throws -> (SpawnedProcess, String, String) in
            precondition(self.child?.isRunning != true, "the central is already running")
            starts += 1
            let out = "\(logDirectory)/serve-\(starts).out", err = "\(logDirectory)/serve-\(starts).err"
            let (executable, args) = preloadSafeCommand(CommandRunner.auditctlPath, arguments + ["--listen", "127.0.0.1:\(port)"],
                                                        environment: environment)
            let spawned = try SpawnedProcess(executable, args, environment: SpawnedProcess.environment(adding: environment),
                                             stdout: out, stderr: err)
            self.child = spawned
            return (spawned, out, err)
        }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            if let bound = Self.boundPort(text) {
                lock.withLock { port = bound }
                return
            }
            guard child.isRunning else {
                throw ServeFailure("auditctl fleet serve exited with \(child.wait()):\n" + Self.tail(err) + "\nstdout: " + Self.tail(out))
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        child.signal(SIGKILL)
        child.wait()
        throw ServeFailure("auditctl fleet serve did not report serving within \(Int(timeout)) s:\n" + Self.tail(err))
    }

    /// SIGKILL, as a crash or an OOM kill would: no shutdown code runs.
    func kill9() {
        lock.withLock {
            child?.signal(SIGKILL)
            child?.wait()
        }
    }

    /// SIGTERM (graceful shutdown), then SIGKILL after `grace` seconds: with PostgreSQL down,
    /// a graceful stop waits for pushes still waiting on the pool (about a minute).
    func stop(grace: Double = 10) {
        lock.withLock {
            guard let child else { return }
            child.signal(SIGTERM)
            let deadline = Date().addingTimeInterval(grace)
            while child.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            child.signal(SIGKILL)
            child.wait()
        }
    }

    /// Everything the service wrote to stderr over all its starts (its error-level log lines).
    func stderr() -> String {
        (1...max(1, starts)).map { (try? String(contentsOfFile: "\(logDirectory)/serve-\($0).err", encoding: .utf8)) ?? "" }
            .joined()
    }

    /// The port in `auditctl: fleet central … serving at http://127.0.0.1:PORT/ …`.
    static func boundPort(_ stdout: String) -> Int? {
        guard let range = stdout.range(of: "serving at http://127.0.0.1:") else { return nil }
        return Int(stdout[range.upperBound...].prefix { $0.isNumber })
    }

    static func tail(_ path: String) -> String {
        String(((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").suffix(4000))
    }
}

struct ServeFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `auditctl` run to its end without Foundation's `Process` (see `SpawnedProcess`): the
/// suite runs servers and PostgreSQL next to these commands.
func auditctl(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
    let (executable, args) = preloadSafeCommand(CommandRunner.auditctlPath, arguments, environment: environment)
    return try SpawnedProcess.run(executable, args, environment: SpawnedProcess.environment(adding: environment))
}
