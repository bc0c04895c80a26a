import AuditCore
import AuditCrypto
import AuditLedger
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The central's own transparency log: entries in the plant ledger's format (RFC 8785 entry,
/// RFC 9162 leaf hash, `prev` chain), every perfect subtree node, and a checkpoint signed with
/// the central's log key after every append. A regulator holding its verifier key checks
/// that the central never dropped a plant's checkpoint or an alarm it raised.
///
/// Appends run inside the caller's transaction (the push that caused them) and serialize on
/// the `central_head` row lock, so the log and the plant tables always commit together.
struct CentralLog: Sendable {
    let origin: String
    let signer: NoteSigner

    /// Entry kinds the central writes.
    enum Kind {
        static let created = "fleet.created"
        static let plantEnrolled = "plant.enrolled"
        static let plantCheckpoint = "plant.checkpoint"
        static let alarmRaised = "alarm.raised"
    }

    struct Appended: Sendable {
        let seq: Int
        let leafHash: Digest
        let checkpoint: CentralCheckpoint
    }

    /// Creates the empty head row; the first append (`fleet.created`) follows in the same transaction.
    static func createHead(_ c: PostgresConnection, logger: Logger) async throws {
        let zeros = ByteBuffer(bytes: [UInt8](repeating: 0, count: 32))
        let empty = ByteBuffer()
        try await c.guardedQuery("""
            INSERT INTO central_head(id, size, last_leaf, frontier, last_time) VALUES (1, 0, \(zeros), \(empty), '')
            """, logger: logger)
    }

    /// Appends one entry, stores the nodes it completes and a newly signed checkpoint.
    func append(kind: String, actor: String, subject: String, payload: JSONValue,
                on c: PostgresConnection, logger: Logger) async throws -> Appended {
        let head = try await c.guardedQuery("""
            SELECT size, last_leaf, frontier, last_time FROM central_head WHERE id = 1 FOR UPDATE
            """, logger: logger)
        guard let row = try await head.collect().first else { throw FleetError.notInitialized }
        let (size64, lastLeafBuffer, frontierBuffer, lastTime) = try row.decode((Int64, ByteBuffer, ByteBuffer, String).self)
        let size = Int(size64)
        guard let prev = Digest(bytes: lastLeafBuffer.bytes),
              var frontier = TreeFrontier(size: size, encoded: frontierBuffer.bytes) else {
            throw FleetError.database(operation: "reading the central log head", message: "the head row is corrupted")
        }
        // Entry times never go backwards, even if this host's clock does.
        let nowMillis = EntryTime.millis(Date())
        let time = EntryTime.format(millis: max(nowMillis, EntryTime.millis(lastTime) ?? 0))
        let canonicalPayload = payload.canonicalString()
        let leaf = SHA256.hash(EntryEncoding.leafInput(seq: size, time: time, kind: kind, actor: actor, subject: subject,
                                                       canonicalPayload: canonicalPayload, prev: prev))
        var levels: [Int16] = [], indices: [Int64] = [], hashes: [ByteBuffer] = []
        frontier.append(leaf) { level, index, hash in
            levels.append(Int16(level))
            indices.append(Int64(index))
            hashes.append(ByteBuffer(bytes: hash.bytes))
        }
        try await c.guardedQuery("""
            INSERT INTO central_entries(seq, time, kind, actor, subject, payload, prev, leaf_hash)
            VALUES (\(Int64(size)), \(time), \(kind), \(actor), \(subject), \(canonicalPayload),
                    \(ByteBuffer(bytes: prev.bytes)), \(ByteBuffer(bytes: leaf.bytes)))
            """, logger: logger)
        if !levels.isEmpty {
            try await c.guardedQuery("""
                INSERT INTO central_nodes(level, idx, hash) SELECT * FROM unnest(\(levels)::smallint[], \(indices)::bigint[], \(hashes)::bytea[])
                """, logger: logger)
        }
        let newSize = size + 1
        try await c.guardedQuery("""
            UPDATE central_head SET size = \(Int64(newSize)), last_leaf = \(ByteBuffer(bytes: leaf.bytes)),
                frontier = \(ByteBuffer(bytes: frontier.encoded)), last_time = \(time) WHERE id = 1
            """, logger: logger)
        let root = frontier.root
        let note = try SignedNote.sign(text: CheckpointBody(origin: origin, size: newSize, root: root).text, signers: [signer])
        try await c.guardedQuery("""
            INSERT INTO central_checkpoints(size, root, note) VALUES (\(Int64(newSize)), \(ByteBuffer(bytes: root.bytes)), \(note))
            """, logger: logger)
        return Appended(seq: size, leafHash: leaf, checkpoint: CentralCheckpoint(size: newSize, root: root, note: note))
    }
}

/// One signed checkpoint of the central's own log.
public struct CentralCheckpoint: Sendable, Equatable {
    public let size: Int
    public let root: Digest
    /// The C2SP signed note.
    public let note: String
}
