import AuditCore
import GRDBSQLite

/// `DatabaseNodeSource` on a raw reader connection (`RawReadPool`): the same two indexed
/// reads, with statements prepared once per connection, and the same verdict on a node
/// that is missing or not 32 bytes.
struct RawNodeSource: MerkleNodeSource {
    let connection: RawReadConnection

    func node(level: Int, index: Int) throws -> Digest {
        let s: OpaquePointer
        if level == 0 {
            s = try connection.statement("SELECT hash FROM entries WHERE seq = ?")
            sqlite3_bind_int64(s, 1, Int64(index))
        } else {
            s = try connection.statement("SELECT hash FROM tree_nodes WHERE level = ? AND idx = ?")
            sqlite3_bind_int64(s, 1, Int64(level))
            sqlite3_bind_int64(s, 2, Int64(index))
        }
        defer { sqlite3_reset(s) }
        let rc = sqlite3_step(s)
        guard rc == SQLITE_ROW || rc == SQLITE_DONE else { throw connection.failure("reading Merkle node (level \(level), index \(index))") }
        // GRDB reads a BLOB or TEXT column as bytes and anything else as no value; so does this.
        let type = rc == SQLITE_ROW ? sqlite3_column_type(s, 0) : SQLITE_NULL
        guard type == SQLITE_BLOB || type == SQLITE_TEXT, sqlite3_column_bytes(s, 0) == Digest.byteCount,
              let bytes = sqlite3_column_blob(s, 0) else {
            throw LedgerError.corrupted(seq: level == 0 ? index : nil,
                                        reason: "Merkle node (level \(level), index \(index)) is missing or malformed")
        }
        return Digest(uncheckedBytes: Array(UnsafeRawBufferPointer(start: bytes, count: Digest.byteCount)))
    }
}
