import Foundation
import GRDB

/// How a ledger file is open.
public enum LedgerAccessMode: String, Sendable, Equatable {
    /// Appends allowed; the writer opens its connection on the first append.
    case readWrite = "read-write"
    /// Reads through SQLite's read-only mode, which still creates the `-wal` and `-shm`
    /// files beside the ledger when they are missing (and may, since readers share them).
    case readOnly = "read-only"
    /// A read-only file in a directory nobody may write (a backup, an evidence copy on a
    /// read-only mount): SQLite's `immutable=1`, which reads the main file only and takes no
    /// locks. Chosen only when the file has no write-ahead log to apply (an empty or absent
    /// `-wal`); otherwise opening is refused (`LedgerError.unappliedWAL`), since reading the
    /// main file alone would silently miss the entries still in the log.
    case immutable
}

/// Everything about opening a ledger file before the store exists: the read-only probe that
/// recognizes it, the migration check, and the reader connections. Every connection made
/// here has a busy timeout, so another process holding a lock for a moment (a commit, a WAL
/// checkpoint, the last connection closing) makes it wait, never fail.
struct LedgerFileAccess {
    let path: String
    let busyTimeout: TimeInterval

    struct Probe {
        let origin: String
        let verifierKey: String
        let needsMigration: Bool
    }

    /// Looks at the file read-only and decides the mode: read-write or read-only as asked,
    /// or immutable when a read-only open cannot work in place (unwritable directory).
    func probe(readOnly: Bool) throws(LedgerError) -> (LedgerAccessMode, Probe) {
        let first: LedgerAccessMode = readOnly ? .readOnly : .readWrite
        do {
            return (first, try probe(mode: first))
        } catch let e as DatabaseError where readOnly && (e.resultCode == .SQLITE_READONLY || e.resultCode == .SQLITE_CANTOPEN) {
            guard !hasUnappliedWAL else { throw .unappliedWAL(path: path) }
            do {
                return (.immutable, try probe(mode: .immutable))
            } catch let e as LedgerError {
                throw e
            } catch {
                throw Self.mapped(error, path: path)
            }
        } catch let e as LedgerError {
            throw e
        } catch {
            throw Self.mapped(error, path: path)
        }
    }

    /// Reads the metadata through a read-only connection (never through a plain file
    /// descriptor: closing one would drop the POSIX locks of every SQLite connection this
    /// process holds on the file).
    private func probe(mode: LedgerAccessMode) throws -> Probe {
        let queue = try DatabaseQueue(path: location(mode), configuration: configuration(label: "auditctl-ledger-probe"))
        defer { try? queue.close() }
        return try queue.read { db -> Probe in
            guard try db.tableExists("meta") else {
                throw LedgerError.notALedger(path: path, reason: "it has no auditctl metadata")
            }
            var meta: [String: String] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") {
                if let k = r["key"] as String?, let v = r["value"] as String? { meta[k] = v }
            }
            guard meta["format"] == LedgerSchema.formatTag, let origin = meta["origin"], let vkey = meta["verifier_key"] else {
                throw LedgerError.notALedger(path: path, reason: "it has no auditctl metadata")
            }
            let migrator = LedgerSchema.migrator
            if try migrator.hasBeenSuperseded(db) {
                let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
                throw LedgerError.newerSchema(path: path, unknownMigrations: unknown)
            }
            return Probe(origin: origin, verifierKey: vkey, needsMigration: !(try migrator.hasCompletedMigrations(db)))
        }
    }

    /// Applies missing migrations (an older release's file). Another process may be doing the
    /// same at the same moment: if ours fails because theirs won, the file is current and
    /// that is success.
    func migrate() throws(LedgerError) {
        do {
            var config = configuration(label: "auditctl-ledger-migration")
            config.readonly = false
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            do {
                try LedgerSchema.migrator.migrate(queue)
            } catch {
                guard try queue.read({ try LedgerSchema.migrator.hasCompletedMigrations($0) }) else { throw error }
            }
        } catch {
            throw Self.mapped(error, path: path)
        }
    }

    /// The connections every read goes through.
    func reader(mode: LedgerAccessMode) throws(LedgerError) -> any DatabaseReader {
        do {
            let config = configuration(label: "auditctl-ledger")
            switch mode {
            case .readWrite, .readOnly: return try DatabasePool(path: path, configuration: config)
            case .immutable: return try DatabaseQueue(path: location(.immutable), configuration: config)
            }
        } catch {
            throw Self.mapped(error, path: path)
        }
    }

    /// The connection `LedgerStore.version()` asks (see `LedgerVersionProbe`).
    func versionProbe(mode: LedgerAccessMode) throws(LedgerError) -> LedgerVersionProbe {
        try LedgerVersionProbe(path: path, location: location(mode), busyTimeout: busyTimeout)
    }

    /// The raw connections of `canonicalEntries` and the proofs (see `RawReadPool`).
    func rawReads(mode: LedgerAccessMode) -> RawReadPool {
        RawReadPool(path: path, location: location(mode), busyTimeout: busyTimeout)
    }

    /// A non-empty `-wal` beside the file: committed entries not yet in the main file.
    var hasUnappliedWAL: Bool {
        let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)??.intValue ?? 0
        return size > 0
    }

    private func configuration(label: String) -> Configuration {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(busyTimeout)
        // GRDB gives pool readers a fixed 10 s of their own; the pragma makes every
        // connection wait exactly as long as the caller asked.
        let ms = Int(busyTimeout * 1000)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA busy_timeout = \(ms)") }
        config.label = label
        return config
    }

    /// The path, or for an immutable open an SQLite URI (the library is built with URI
    /// file names enabled; '%', '?' and '#' in the path are escaped).
    private func location(_ mode: LedgerAccessMode) -> String {
        guard mode == .immutable else { return path }
        var escaped = ""
        for c in path.unicodeScalars {
            switch c {
            case "%": escaped += "%25"
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            default: escaped.unicodeScalars.append(c)
            }
        }
        return "file:\(escaped)?immutable=1"
    }

    static func mapped(_ error: any Error, path: String) -> LedgerError {
        if let e = error as? LedgerError { return e }
        if let e = error as? DatabaseError, e.resultCode == .SQLITE_NOTADB {
            return .notALedger(path: path, reason: "it is not an SQLite database")
        }
        return .storage(path: path, message: "\(error)")
    }
}
