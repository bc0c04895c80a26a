import AuditCore
import AuditCrypto
import Foundation
import GRDB
import GRDBSQLite

/// A witness's cosignature (c2sp.org/tlog-cosignature) of one of this ledger's checkpoints,
/// as the central fleet service returned it to a push and the plant stored it.
public struct StoredCosignature: Sendable, Equatable {
    /// The size of the cosigned checkpoint (a row of `checkpoints`).
    public let size: Int
    public let witness: CosignerKey
    /// POSIX seconds at which the witness cosigned.
    public let timestamp: UInt64
    /// The note signature line (`— <name> <base64>`), without its newline.
    public let line: String
    /// When this ledger stored it (RFC 3339 UTC).
    public let received: String
}

extension StoredCheckpoint {
    /// The checkpoint note with the cosignature lines appended: one signed note carrying the
    /// log's signature and the witnesses', which any C2SP signed-note client reads (it checks
    /// the keys it trusts and ignores the others).
    public func cosignedNote(_ cosignatures: [StoredCosignature]) -> String {
        note + cosignatures.map { $0.line + "\n" }.joined()
    }
}

extension LedgerStore {
    /// Stores witness cosignatures of the stored checkpoint of `size`, each checked again over
    /// that checkpoint's text first, so the table only ever holds cosignatures that verify.
    /// A witness that already has a row for this size keeps it (a retried push is harmless).
    /// Returns how many rows were new.
    @discardableResult
    public func storeCosignatures(_ cosignatures: [VerifiedCosignature], size: Int) throws(LedgerError) -> Int {
        guard let writer else { throw .readOnly(path: path) }
        let table = LedgerSchema.cosignaturesTable
        do {
            return try writer.writeBeside { c in
                let find = try c.statement("SELECT note FROM checkpoints WHERE size = ?")
                find.bind(1, size)
                guard try find.step(), let note = find.text(0) else {
                    find.reset()
                    throw LedgerError.invalidDraft(field: "cosignature", reason: "this ledger has no checkpoint of size \(size)")
                }
                find.reset()
                let text = try Cosignature.split(note: note).text
                let received = UTCTime.now()
                var added = 0
                let insert = try c.statement(
                    "INSERT OR IGNORE INTO \(table)(size, witness, timestamp, line, received) VALUES (?,?,?,?,?)")
                for cosignature in cosignatures {
                    let again = try? Cosignature.verify(checkpointText: text, signatureLines: cosignature.line + "\n",
                                                        witnesses: [cosignature.key])
                    guard again?.count == 1 else {
                        throw LedgerError.invalidDraft(field: "cosignature",
                                                       reason: "the cosignature by \(cosignature.key.name) does not verify over the checkpoint of size \(size)")
                    }
                    insert.bind(1, size)
                    insert.bind(2, cosignature.key.encoded)
                    insert.bind(3, Int(cosignature.timestamp))
                    insert.bind(4, cosignature.line)
                    insert.bind(5, received)
                    try insert.run()
                    added += Int(sqlite3_changes(c.handle))
                }
                return added
            }
        } catch let e as LedgerError {
            throw e
        } catch {
            throw .storage(path: path, message: "\(error)")
        }
    }

    /// The stored cosignatures of the checkpoint of `size`, by witness key.
    public func cosignatures(size: Int) throws(LedgerError) -> [StoredCosignature] {
        try read { db in
            guard try db.tableExists(LedgerSchema.cosignaturesTable) else { return [] }
            return try Row.fetchAll(db, sql: "SELECT \(Self.cosignatureColumns) FROM \(LedgerSchema.cosignaturesTable) WHERE size = ? ORDER BY witness",
                                    arguments: [size]).map(Self.decodeCosignature)
        }
    }

    /// The newest checkpoint that carries a cosignature (by `witness` when given), with all
    /// its stored cosignatures; nil when none was stored (or the file predates the table).
    public func latestCosignedCheckpoint(witness: CosignerKey? = nil) throws(LedgerError) -> (checkpoint: StoredCheckpoint, cosignatures: [StoredCosignature])? {
        let found: StoredCheckpoint? = try read { db in
            guard try db.tableExists(LedgerSchema.cosignaturesTable) else { return nil }
            let filter = witness == nil ? "" : "WHERE witness = ?"
            let arguments: StatementArguments = witness.map { [$0.encoded] } ?? []
            guard let size = try Int.fetchOne(db, sql: "SELECT MAX(size) FROM \(LedgerSchema.cosignaturesTable) \(filter)",
                                              arguments: arguments) else { return nil }
            guard let row = try Row.fetchOne(db, sql: "SELECT \(CheckpointWriter.columns) FROM checkpoints WHERE size = ?",
                                             arguments: [size]) else {
                throw LedgerError.corrupted(seq: nil, reason: "a cosignature names checkpoint size \(size), which is not stored")
            }
            return try CheckpointWriter.decode(row)
        }
        guard let found else { return nil }
        return (found, try cosignatures(size: found.size))
    }

    /// Sizes of the checkpoints that carry at least one cosignature, newest first, at most `limit`.
    public func cosignedSizes(limit: Int) throws(LedgerError) -> [Int] {
        try read { db in
            guard try db.tableExists(LedgerSchema.cosignaturesTable) else { return [] }
            return try Int.fetchAll(db, sql: "SELECT DISTINCT size FROM \(LedgerSchema.cosignaturesTable) ORDER BY size DESC LIMIT ?",
                                    arguments: [limit])
        }
    }

    static let cosignatureColumns = "size, witness, timestamp, line, received"

    /// A cosignature row with its storage types checked and its witness key parsed.
    static func decodeCosignature(_ row: Row) throws -> StoredCosignature {
        guard case .int64(let size) = (row[0] as DatabaseValue).storage,
              case .string(let witnessText) = (row[1] as DatabaseValue).storage,
              case .int64(let timestamp) = (row[2] as DatabaseValue).storage, timestamp >= 0,
              case .string(let line) = (row[3] as DatabaseValue).storage,
              case .string(let received) = (row[4] as DatabaseValue).storage else {
            throw LedgerError.corrupted(seq: nil, reason: "a stored cosignature has a malformed column")
        }
        guard let witness = try? CosignerKey.parse(witnessText) else {
            throw LedgerError.corrupted(seq: nil, reason: "the cosignature of checkpoint size \(size) names no valid witness key")
        }
        return StoredCosignature(size: Int(size), witness: witness, timestamp: UInt64(timestamp), line: line, received: received)
    }
}
