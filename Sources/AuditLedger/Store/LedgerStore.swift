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
        public init() {}
    }

    private init(path: String, origin: String, verifierKey: String, pool: DatabasePool,
                 signer: (any CheckpointSigning)?) {
        self.path = path
        self.origin = origin
        self.verifierKey = verifierKey
        self.pool = pool
        self.writer = GroupCommitWriter(pool: pool, path: path, origin: origin, signer: signer)
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
    public static func open(at path: String, options: Options = Options()) throws(LedgerError) -> LedgerStore {
        guard FileManager.default.fileExists(atPath: path) else { throw .notFound(path: path) }
        try checkSQLiteHeader(path)
        let pool = try makePool(path: path, options: options)
        do {
            let (origin, vkey) = try pool.read { db -> (String?, String?) in
                guard try db.tableExists("meta") else { return (nil, nil) }
                let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM meta")
                var meta: [String: String] = [:]
                for r in rows { meta[r["key"]] = r["value"] }
                guard meta["format"] == LedgerSchema.formatTag else { return (nil, nil) }
                return (meta["origin"], meta["verifier_key"])
            }
            guard let origin, let vkey else {
                throw LedgerError.notALedger(path: path, reason: "it has no auditctl metadata")
            }
            let migrator = LedgerSchema.migrator
            let (superseded, applied) = try pool.read { db in
                (try migrator.hasBeenSuperseded(db), try migrator.appliedIdentifiers(db))
            }
            if superseded {
                let unknown = applied.subtracting(migrator.migrations).sorted()
                throw LedgerError.newerSchema(path: path, unknownMigrations: unknown)
            }
            if !options.readOnly { try migrator.migrate(pool) }
            return LedgerStore(path: path, origin: origin, verifierKey: vkey, pool: pool,
                               signer: options.checkpointSigner)
        } catch let e as LedgerError {
            throw e
        } catch let e as DatabaseError where e.resultCode == .SQLITE_NOTADB {
            throw .notALedger(path: path, reason: "it is not an SQLite database")
        } catch {
            throw .storage(path: path, message: "\(error)")
        }
    }

    /// A cheap look at the first bytes, so a JSON file or a model passed by mistake
    /// gets a clear error instead of an SQLite one (and is never modified).
    private static func checkSQLiteHeader(_ path: String) throws(LedgerError) {
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw .storage(path: path, message: "cannot open the file for reading")
        }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 16)) ?? Data()
        guard head.count == 16, String(decoding: head.prefix(15), as: UTF8.self) == "SQLite format 3" else {
            throw .notALedger(path: path, reason: "it is not an SQLite database")
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
