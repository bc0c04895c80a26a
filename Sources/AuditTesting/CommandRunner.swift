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

    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           stdin: String? = nil, currentDirectory: String? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for k in env.keys where k.hasPrefix("AUDITCTL_") && k != "AUDITCTL_BIN" { env[k] = nil }
        env.merge(environment) { _, new in new }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child cannot fill one and block.
        let errBox = ErrBox()
        let errDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            errBox.set(err.fileHandleForReading.readDataToEndOfFile())
            errDone.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errDone.wait()
        let errData = errBox.get()
        return CommandResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
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

/// stderr bytes handed from the reader thread to the caller.
private final class ErrBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
