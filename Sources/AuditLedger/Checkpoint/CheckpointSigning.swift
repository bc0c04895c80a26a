import AuditCore
import Foundation
import GRDB
import GRDBSQLite

/// Turns a checkpoint body into a signed note. The ledger never holds key material
/// itself; the CLI or server unseals the log key and hands in a signer.
public protocol CheckpointSigning: Sendable {
    /// Returns the complete C2SP signed note (body, blank line, signature lines).
    func signNote(body: CheckpointBody) throws -> String
    /// Signs entries auditctl writes on its own behalf (authentication failures, lockouts)
    /// with the log key, so they are attributable to this ledger's operator and no one else.
    var systemAuthority: (any EntryAuthorizing)? { get }
}

extension CheckpointSigning {
    public var systemAuthority: (any EntryAuthorizing)? { nil }
}

/// A checkpoint as kept in the ledger: the signed note plus what it commits to.
public struct StoredCheckpoint: Sendable, Equatable {
    public let size: Int
    public let root: Digest
    public let note: String
    public let created: String

    public init(size: Int, root: Digest, note: String, created: String) {
        self.size = size
        self.root = root
        self.note = note
        self.created = created
    }
}

enum CheckpointWriter {
    /// Signs the current tree head and stores it, inside the writer's transaction.
    /// A checkpoint for a size that already has one is returned as is (sizes are unique).
    static func signAndStore(size: Int, origin: String, signer: any CheckpointSigning,
                             connection c: WriterConnection, nodes: some MerkleNodeSource,
                             isNewSize: Bool) throws -> StoredCheckpoint {
        // A size that was just created by this transaction cannot have a checkpoint yet.
        if !isNewSize {
            let s = try c.statement("SELECT size, root, note, created FROM checkpoints WHERE size = ?")
            defer { s.reset() }
            s.bind(1, size)
            if try s.step() {
                guard s.type(1) == SQLITE_BLOB, s.type(2) == SQLITE_TEXT, s.type(3) == SQLITE_TEXT,
                      let root = Digest(bytes: s.blob(1)), let note = s.text(2), let created = s.text(3) else {
                    throw LedgerError.corrupted(seq: nil, reason: "checkpoint at size \(size) is malformed")
                }
                return StoredCheckpoint(size: size, root: root, note: note, created: created)
            }
        }
        let root = try MerkleTree.root(size: size, source: nodes)
        let note: String
        do {
            note = try signer.signNote(body: CheckpointBody(origin: origin, size: size, root: root))
        } catch {
            throw LedgerError.signing("\(error)")
        }
        let created = UTCTime.now()
        let insert = try c.statement("INSERT INTO checkpoints(size, root, note, created) VALUES (?,?,?,?)")
        insert.bind(1, size)
        insert.bind(2, root.bytes)
        insert.bind(3, note)
        insert.bind(4, created)
        try insert.run()
        return StoredCheckpoint(size: size, root: root, note: note, created: created)
    }

    static let columns = "size, root, note, created"

    /// A `checkpoints` row with its storage types checked (never converted).
    static func decode(_ row: Row) throws -> StoredCheckpoint {
        guard case .int64(let size) = (row[0] as DatabaseValue).storage else {
            throw LedgerError.corrupted(seq: nil, reason: "a checkpoint's size is not an integer")
        }
        guard case .blob(let rootData) = (row[1] as DatabaseValue).storage, let root = Digest(bytes: [UInt8](rootData)),
              case .string(let note) = (row[2] as DatabaseValue).storage,
              case .string(let created) = (row[3] as DatabaseValue).storage else {
            throw LedgerError.corrupted(seq: nil, reason: "checkpoint at size \(size) has a malformed root, note or time")
        }
        return StoredCheckpoint(size: Int(size), root: root, note: note, created: created)
    }
}

extension LedgerStore {
    /// Every stored checkpoint, oldest first.
    public func checkpoints() throws(LedgerError) -> [StoredCheckpoint] {
        try read { db in try Self.checkpoints(db) }
    }

    static func checkpoints(_ db: Database) throws -> [StoredCheckpoint] {
        try Row.fetchAll(db, sql: "SELECT \(CheckpointWriter.columns) FROM checkpoints ORDER BY size").map(CheckpointWriter.decode)
    }

    public func latestCheckpoint() throws(LedgerError) -> StoredCheckpoint? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(CheckpointWriter.columns) FROM checkpoints ORDER BY size DESC LIMIT 1").map(CheckpointWriter.decode)
        }
    }
}
