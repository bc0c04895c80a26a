import AuditCore
import AuditCrypto
import Foundation
import GRDB

/// An append-only, hash-chained, Merkle-tree-backed ledger in one SQLite file.
///
/// All writes go through one group-commit writer (see `LedgerStore+Append.swift`):
/// concurrent appenders share a transaction and its fsync, and each append returns
/// only once that transaction is durable (WAL + synchronous=FULL).
public final class LedgerStore: Sendable {
    public let path: String
    public let origin: String
    /// The log's C2SP verifier key (`name+hash+base64`), recorded at `create`.
    public let verifierKey: String
    let pool: DatabasePool
    let writer: GroupCommitWriter

    /// The `PRAGMA synchronous` level of the writer connection (2 = FULL, 1 = NORMAL).
    public func writerSynchronousLevel() throws(LedgerError) -> Int {
        do {
            return try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
        } catch {
            throw .storage(path: path, message: "\(error)")
        }
    }

    /// Durability setting; FULL is the default because an acknowledged append must
    /// survive power loss, not just a process crash.
    public enum Synchronous: String, Sendable { case full = "FULL", normal = "NORMAL" }

    public struct Options: Sendable {
        public var synchronous: Synchronous = .full
        public var readOnly = false
        /// Signs a checkpoint after every append batch when present.
        public var checkpointSigner: (any CheckpointSigning)?
        public var busyTimeout: TimeInterval = 10
        /// Seconds between checkpoints under load (0: one in every append transaction, the
        /// default). A long-running service may raise it for throughput; every entry is still
        /// covered within the interval.
        public var checkpointInterval: Double = 0
        public init() {}
    }

    private init(path: String, origin: String, verifierKey: String, pool: DatabasePool,
                 signer: (any CheckpointSigning)?, checkpointInterval: Double = 0) {
        self.path = path
        self.origin = origin
        self.verifierKey = verifierKey
        self.pool = pool
        self.writer = GroupCommitWriter(pool: pool, path: path, origin: origin, signer: signer,
                                        checkpointInterval: checkpointInterval)
    }

    // MARK: Opening

    /// Creates a new ledger file; refuses to touch an existing one.
    public static func create(at path: String, origin: String, verifierKey: String,
                              options: Options = Options()) throws(LedgerError) -> LedgerStore {
        guard !FileManager.default.fileExists(atPath: path) else { throw .alreadyExists(path: path) }
        guard !origin.isEmpty, !origin.contains("\n") else {
            throw .invalidDraft(field: "origin", reason: "must be one non-empty line")
        }
        let pool = try makePool(path: path, options: options)
        do {
            try LedgerSchema.migrator.migrate(pool)
            try pool.write { db in
                for (k, v) in [("format", LedgerSchema.formatTag), ("origin", origin),
                               ("verifier_key", verifierKey), ("created", UTCTime.now())] {
                    try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?)", arguments: [k, v])
                }
            }
        } catch {
            throw .storage(path: path, message: "\(error)")
        }
        return LedgerStore(path: path, origin: origin, verifierKey: verifierKey, pool: pool,
                           signer: options.checkpointSigner)
    }

    /// Opens an existing ledger, checking that it is one of ours and not from a newer release.
    /// Nothing is written until those checks pass: a wrong file is refused untouched.
    public static func open(at path: String, options: Options = Options()) throws(LedgerError) -> LedgerStore {
        guard FileManager.default.fileExists(atPath: path) else { throw .notFound(path: path) }
        let (origin, vkey) = try probe(path)
        let pool = try makePool(path: path, options: options)
        do {
            if !options.readOnly { try LedgerSchema.migrator.migrate(pool) }
        } catch {
            throw .storage(path: path, message: "\(error)")
        }
        return LedgerStore(path: path, origin: origin, verifierKey: vkey, pool: pool,
                           signer: options.checkpointSigner, checkpointInterval: options.checkpointInterval)
    }

    /// Looks at the file through a read-only SQLite connection (never through a plain file
    /// descriptor: closing one would drop the POSIX locks of every SQLite connection this
    /// process holds on the file). Returns the origin and verifier key.
    private static func probe(_ path: String) throws(LedgerError) -> (String, String) {
        var config = Configuration()
        config.readonly = true
        config.label = "auditctl-ledger-probe"
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            return try queue.read { db -> (String, String) in
                guard try db.tableExists("meta") else {
                    throw LedgerError.notALedger(path: path, reason: "it has no auditctl metadata")
                }
                var meta: [String: String] = [:]
                for r in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") { meta[r["key"]] = r["value"] }
                guard meta["format"] == LedgerSchema.formatTag, let origin = meta["origin"], let vkey = meta["verifier_key"] else {
                    throw LedgerError.notALedger(path: path, reason: "it has no auditctl metadata")
                }
                let migrator = LedgerSchema.migrator
                if try migrator.hasBeenSuperseded(db) {
                    let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
                    throw LedgerError.newerSchema(path: path, unknownMigrations: unknown)
                }
                return (origin, vkey)
            }
        } catch let e as LedgerError {
            throw e
        } catch let e as DatabaseError where e.resultCode == .SQLITE_NOTADB {
            throw .notALedger(path: path, reason: "it is not an SQLite database")
        } catch {
            throw .storage(path: path, message: "\(error)")
        }
    }

    private static func makePool(path: String, options: Options) throws(LedgerError) -> DatabasePool {
        var config = Configuration()
        config.readonly = options.readOnly
        config.busyMode = .timeout(options.busyTimeout)
        config.label = "auditctl-ledger"
        let sync = options.synchronous.rawValue
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(sync)")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: config)
            if !options.readOnly {
                // GRDB switches a WAL pool's writer to synchronous=NORMAL after
                // prepareDatabase runs; set the durability we promise on the writer itself.
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(sync)") }
            }
            return pool
        } catch let e as DatabaseError where e.resultCode == .SQLITE_NOTADB {
            throw .notALedger(path: path, reason: "it is not an SQLite database")
        } catch {
            throw .storage(path: path, message: "\(error)")
        }
    }

    // MARK: Reading

    /// Number of entries (the current tree size).
    public func size() throws(LedgerError) -> Int {
        try read { db in try Self.size(db) }
    }

    static func size(_ db: Database) throws -> Int {
        let s = try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM entries")
        return s.map { $0 + 1 } ?? 0
    }

    public func entry(seq: Int) throws(LedgerError) -> Entry {
        let found: Entry? = try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM entries WHERE seq = ?", arguments: [seq]).map(EntryRow.decode)
        }
        guard let found else { throw .entryNotFound(seq: seq, size: (try? size()) ?? 0) }
        return found
    }

    /// Stored leaf hash of an entry.
    public func leafHash(seq: Int) throws(LedgerError) -> Digest {
        try read { db in try DatabaseNodeSource(db: db).node(level: 0, index: seq) }
    }

    /// Entries matching a filter, in seq order.
    public func entries(_ filter: EntryFilter = EntryFilter()) throws(LedgerError) -> [Entry] {
        try read { db in
            let (sql, args) = filter.sql()
            return try Row.fetchAll(db, sql: sql, arguments: args).map(EntryRow.decode)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try pool.read(body)
        } catch let e as LedgerError {
            throw e
        } catch {
            throw .storage(path: path, message: "\(error)")
        }
    }
}
