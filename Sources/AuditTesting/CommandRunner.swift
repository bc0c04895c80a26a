import Foundation

/// Runs a program as a user would and captures what they would see.
public struct CommandResult: Sendable, CustomStringConvertible {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

public enum CommandRunner {
    /// The `auditctl` binary built beside the test bundle (`swift build` puts both in one folder).
    public static var auditctlPath: String {
        if let p = ProcessInfo.processInfo.environment["AUDITCTL_BIN"] { return p }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("auditctl").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../.build/debug/auditctl").standardized.path
    }

    /// Runs a program to its end (through `ChildSpawn`, never Foundation's `Process`) with this
    /// process's environment minus auditctl's own variables, plus `environment`.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           stdin: String? = nil, currentDirectory: String? = nil) throws -> CommandResult {
        try SpawnedProcess.run(executable, arguments, environment: SpawnedProcess.environment(adding: environment),
                               stdin: stdin, currentDirectory: currentDirectory)
    }

    /// Runs `auditctl` with the given data directory.
    @discardableResult
    public static func auditctl(_ arguments: [String], dataDir: String? = nil, environment: [String: String] = [:],
                                stdin: String? = nil) throws -> CommandResult {
        var env = environment
        if let dataDir { env["AUDITCTL_DATA_DIR"] = dataDir }
        return try run(auditctlPath, arguments, environment: env, stdin: stdin)
    }

    /// Runs the sqlite3 command-line shell, as a tamperer would.
    @discardableResult
    public static func sqlite(_ database: String, _ sql: String) throws -> CommandResult {
        try run("/usr/bin/sqlite3", [database, sql])
    }
}
