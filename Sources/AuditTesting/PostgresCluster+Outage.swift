import Foundation

/// What the fault tests need beyond the shared cluster: a cluster of their own (stopping the
/// shared one would break every other test of the process), a server stopped and started
/// again on the same port and data, and SQL results split into rows and fields.
extension PostgresCluster {
    /// A new cluster for this caller alone; `stop()` removes it (the watchdog does at exit).
    public static func startPrivate() throws -> PostgresCluster {
        try PostgresCluster(binDirectory: findBinaries())
    }

    /// Stops the server (`pg_ctl stop -m fast`: open sessions are rolled back and cut).
    public func stopServer() throws {
        let result = try tool("pg_ctl", ["-D", directory + "/data", "-m", "fast", "-w", "-t", "60", "stop"])
        guard result.status == 0 else { throw PostgresClusterError.command("pg_ctl stop", result.description) }
    }

    /// Starts the stopped server again with the options it was first started with.
    public func startServer() throws {
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c max_connections=300 "
            + "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=128MB"
        let result = try tool("pg_ctl", ["-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60",
                                         "-o", options, "start"])
        guard result.status == 0 else { throw PostgresClusterError.command("pg_ctl start", result.description) }
    }

    /// Rows of a query, each a list of its fields as text (NULL as ""). Fields are split on
    /// U+001F and rows on NUL, so text holding newlines or `|` (signed notes, JSON) survives.
    public func rows(database: String, _ sql: String) throws -> [[String]] {
        let result = try ChildProcess.run(binDirectory + "/psql",
                                           ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-F", "\u{1F}", "-0",
                                            "-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", database, "-c", sql],
                                           environment: ["PGPASSWORD": password, "PGCONNECT_TIMEOUT": "10"])
        guard result.status == 0 else { throw PostgresClusterError.command("psql", result.description) }
        return result.stdout.split(separator: "\0", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("\n") ? $0.dropFirst() : $0 }
            .filter { !$0.isEmpty }
            .map { $0.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The one value of a query returning one row of one column.
    public func value(database: String, _ sql: String) throws -> String {
        let rows = try rows(database: database, sql)
        guard rows.count == 1, rows[0].count == 1 else {
            throw PostgresClusterError.command("psql", "expected one value from \(sql), got \(rows)")
        }
        return rows[0][0]
    }

    /// As `runTool`: through bash closing inherited descriptors, so the server `pg_ctl start`
    /// leaves running holds none of this process's pipes or sockets.
    private func tool(_ name: String, _ arguments: [String]) throws -> CommandResult {
        let command = (runAs.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? []) + [binDirectory + "/" + name] + arguments
        return try ChildProcess.run("/bin/bash", ["-c", Self.closeInheritedDescriptors + #"exec "$@""#, "bash"] + command)
    }
}
