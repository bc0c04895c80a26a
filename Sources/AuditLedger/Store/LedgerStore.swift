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
    /// How the file is open: read-write, read-only, or immutable (a read-only file or
    /// directory where SQLite cannot create its WAL index; see `LedgerAccessMode`).
    public let access: LedgerAccessMode
    /// Every read goes through these connections (each read is one transaction, a snapshot).
    let reader: any DatabaseReader
    /// Tells whether anything was committed to the file since an earlier call (`version()`).
    let versionProbe: LedgerVersionProbe
    /// Tree nodes proofs have read, for as long as the file is unchanged.
    let proofNodes = ProofNodeMemo()
    /// Raw connections for the per-request reads of a server: pages and proofs.
    let rawReads: RawReadPool
    /// Nil when read-only. Opens its own connection on the first write, so opening a ledger
    /// to read never takes a write lock.
    let writer: GroupCommitWriter?

    /// The `PRAGMA synchronous` level of the writer connection (2 = FULL, 1 = NORMAL).
    public func writerSynchronousLevel() throws(LedgerError) -> Int {
        guard let writer else { throw .readOnly(path: path) }
        return try writer.synchronousLevel()
    }

    /// Durability setting; FULL is the default because an acknowledged append must
    /// survive power loss, not just a process crash.
    public enum Synchronous: String, Sendable { case full = "FULL", normal = "NORMAL" }

    public struct Options: Sendable {
        public var synchronous: Synchronous = .full
        public var readOnly = false
        /// Signs a checkpoint after every append batch when present.
        public var checkpointSigner: (any CheckpointSigning)?
        /// How long any connection (writer, readers, the opening probe) waits for a lock
        /// another process holds before giving up.
        public var busyTimeout: TimeInterval = 10
        /// Seconds between checkpoints under load (0: one in every append transaction, the
        /// default). A long-running service may raise it for throughput; every entry is still
        /// covered within the interval.
        public var checkpointInterval: Double = 0
        /// How far (seconds) the host clock may be behind the newest entry's time. Within it,
        /// an entry gets the newest entry's time (times never go backwards); beyond it, the
        /// append is refused with `LedgerError.clockBehind`. The records layer passes the value
        /// of the recorded policy, the same bound it applies to signature times.
        public var clockTolerance: Double = 300
        public init() {}
    }

    private init(path: String, origin: String, verifierKey: String, access: LedgerAccessMode,
                 reader: any DatabaseReader, versionProbe: LedgerVersionProbe, rawReads: RawReadPool, options: Options) {
        self.path = path
        self.origin = origin
        self.verifierKey = verifierKey
        self.access = access
        self.reader = reader
        self.versionProbe = versionProbe
        self.rawReads = rawReads
        self.writer = access == .readWrite
            ? GroupCommitWriter(path: path, origin: origin, options: options)
            : nil
    }

    // MARK: Opening

    /// Creates a new ledger file; refuses to touch an existing one.
    public static func create(at path: String, origin: String, verifierKey: String,
                              options: Options = Options()) throws(LedgerError) -> LedgerStore {
        guard !FileManager.default.fileExists(atPath: path) else { throw .alreadyExists(path: path) }
        guard !origin.isEmpty, !origin.contains("\n") else {
            throw .invalidDraft(field: "origin", reason: "must be one non-empty line")
        }
        do {
            var config = Configuration()
            config.busyMode = .timeout(options.busyTimeout)
            let pool = try DatabasePool(path: path, configuration: config)
            try LedgerSchema.migrator.migrate(pool)
            try pool.write { db in
                for (k, v) in [("format", LedgerSchema.formatTag), ("origin", origin),
                               ("verifier_key", verifierKey), ("created", UTCTime.now())] {
                    try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?)", arguments: [k, v])
                }
            }
            try pool.close()
        } catch {
            throw .storage(path: path, message: "\(error)")
        }
        var writable = options
        writable.readOnly = false
        return try open(at: path, options: writable)
    }

    /// Opens an existing ledger, checking that it is one of ours and not from a newer release.
    /// Nothing is written until those checks pass: a wrong file is refused untouched, and a
    /// current one is not written at all until the first append (no migration, no WAL
    /// set-up), so any number of processes may open it at once.
    public static func open(at path: String, options: Options = Options()) throws(LedgerError) -> LedgerStore {
        guard FileManager.default.fileExists(atPath: path) else { throw .notFound(path: path) }
        let access = LedgerFileAccess(path: path, busyTimeout: options.busyTimeout)
        let (mode, probe) = try access.probe(readOnly: options.readOnly)
        if probe.needsMigration && mode == .readWrite {
            try access.migrate()
        }
        return LedgerStore(path: path, origin: probe.origin, verifierKey: probe.verifierKey, access: mode,
                           reader: try access.reader(mode: mode), versionProbe: try access.versionProbe(mode: mode),
                           rawReads: access.rawReads(mode: mode), options: options)
    }

    // MARK: Reading

    /// Number of entries (the current tree size).
    public func size() throws(LedgerError) -> Int {
        try read { db in try Self.size(db) }
    }

    /// Changes whenever anything is committed to the file, by this process or another
    /// (`LedgerVersion`): one cheap statement, for keying caches of derived values.
    public func version() throws(LedgerError) -> LedgerVersion {
        try versionProbe.current()
    }

    static func size(_ c: RawReadConnection) throws(LedgerError) -> Int {
        try c.int("SELECT MAX(seq) FROM entries").map { Int($0) + 1 } ?? 0
    }

    static func size(_ db: Database) throws -> Int {
        let s = try Int.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM entries"))
        return s.map { $0 + 1 } ?? 0
    }

    public func entry(seq: Int) throws(LedgerError) -> Entry {
        let found: Entry? = try read { db in
            try Row.fetchOne(db, sql: "SELECT \(EntryRow.columns) FROM entries WHERE seq = ?", arguments: [seq]).map(EntryRow.decode)
        }
        guard let found else { throw .entryNotFound(seq: seq, size: (try? size()) ?? 0) }
        return found
    }

    /// Stored leaf hash of an entry.
    public func leafHash(seq: Int) throws(LedgerError) -> Digest {
        try read { db in try DatabaseNodeSource(db: db).node(level: 0, index: seq) }
    }

    /// Entries matching a filter, in seq order.
    ///
    /// In one read transaction, first makes sure no row can hide from the filter (`RowGuard`:
    /// seq exactly 0..<size, no malformed row), then decodes each row with its types checked:
    /// what this returns is what `verify` accepts, or it throws `LedgerError.corrupted`.
    public func entries(_ filter: EntryFilter = EntryFilter()) throws(LedgerError) -> [Entry] {
        try read { db in
            try RowGuard.check(db)
            let (sql, args) = filter.sql()
            return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: args).map(EntryRow.decode)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try reader.read(body)
        } catch let e as LedgerError {
            throw e
        } catch {
            throw .storage(path: path, message: "\(error)")
        }
    }
}
