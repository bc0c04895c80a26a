import AuditCore
import Foundation
import GRDB

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
    /// Signs the current tree head and stores it, inside the caller's transaction.
    /// A checkpoint for a size that already has one is returned as is (sizes are unique).
    static func signAndStore(size: Int, origin: String, signer: any CheckpointSigning,
                             db: Database, nodes: some MerkleNodeSource, isNewSize: Bool) throws -> StoredCheckpoint {
        // A size that was just created by this transaction cannot have a checkpoint yet.
        if !isNewSize, let existing = try Row.fetchOne(db, sql: "SELECT * FROM checkpoints WHERE size = ?", arguments: [size]) {
            return try decode(existing)
        }
        let root = try MerkleTree.root(size: size, source: nodes)
        let note: String
        do {
            note = try signer.signNote(body: CheckpointBody(origin: origin, size: size, root: root))
        } catch {
            throw LedgerError.signing("\(error)")
        }
        let created = UTCTime.now()
        try db.cachedStatement(sql: "INSERT INTO checkpoints(size, root, note, created) VALUES (?,?,?,?)")
            .execute(arguments: [size, Data(root.bytes), note, created])
        return StoredCheckpoint(size: size, root: root, note: note, created: created)
    }

    static func decode(_ row: Row) throws -> StoredCheckpoint {
        let size: Int = row["size"]
        guard let root = Digest(bytes: [UInt8](row["root"] as Data)) else {
            throw LedgerError.corrupted(seq: nil, reason: "checkpoint at size \(size) has a malformed root")
        }
        return StoredCheckpoint(size: size, root: root, note: row["note"], created: row["created"])
    }
}

extension LedgerStore {
    /// Every stored checkpoint, oldest first.
    public func checkpoints() throws(LedgerError) -> [StoredCheckpoint] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM checkpoints ORDER BY size").map(CheckpointWriter.decode) }
    }

    public func latestCheckpoint() throws(LedgerError) -> StoredCheckpoint? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM checkpoints ORDER BY size DESC LIMIT 1").map(CheckpointWriter.decode)
        }
    }
}
