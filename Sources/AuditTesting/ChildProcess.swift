import AuditFiles
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to its end through `ChildSpawn` with this process's whole environment plus
/// `environment`, output captured in temporary files (the PostgreSQL harness's runner).
enum ChildProcess {
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        do {
            return try SpawnedProcess.run(executable, arguments, environment: env)
        } catch let error as SpawnError {
            throw PostgresClusterError.command(executable, error.reason)
        }
    }

    /// Starts a program and does not wait for it (the harness's watchdog).
    static func start(_ executable: String, _ arguments: [String]) {
        _ = try? ChildSpawn.start(executable, arguments, environment: ProcessInfo.processInfo.environment,
                             stdout: .null, stderr: .null)
    }
}
