import GRDBSQLite

extension GroupCommitWriter {
    /// Runs `body` in its own IMMEDIATE transaction on the writer connection, for rows kept
    /// beside the log (witness cosignatures). The storage lock serializes it with appends, and
    /// the cached chain tail stays valid: no entry is written, and a commit on this same
    /// connection does not change its `PRAGMA data_version`.
    func writeBeside<T>(_ body: (WriterConnection) throws -> T) throws -> T {
        try storage.withLock { s in
            let c = try connection(&s)
            try c.statement("BEGIN IMMEDIATE").run()
            do {
                let result = try body(c)
                try c.statement("COMMIT").run()
                return result
            } catch {
                if sqlite3_get_autocommit(c.handle) == 0 { try? c.exec("ROLLBACK") }
                throw error
            }
        }
    }
}
