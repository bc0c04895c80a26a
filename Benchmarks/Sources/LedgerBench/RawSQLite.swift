import Foundation
import GRDBSQLite

/// The baseline: the same libsqlite3, the same table layout (STRICT, as new ledgers have it)
/// and pragmas as the ledger's `entries` table, driven through the C API with nothing of
/// ours in between.
final class RawSQLite {
    let db: OpaquePointer
    private var insert: OpaquePointer?

    init(path: String, synchronous: String) {
        var handle: OpaquePointer?
        precondition(sqlite3_open(path, &handle) == SQLITE_OK)
        db = handle!
        exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=\(synchronous);")
        exec("""
            CREATE TABLE IF NOT EXISTS entries(seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 0), time TEXT NOT NULL,
              kind TEXT NOT NULL, actor TEXT NOT NULL, subject TEXT NOT NULL, payload TEXT NOT NULL,
              prev BLOB NOT NULL, hash BLOB NOT NULL) STRICT;
            CREATE INDEX IF NOT EXISTS entries_by_kind ON entries(kind);
            CREATE INDEX IF NOT EXISTS entries_by_subject ON entries(subject);
            """)
        sqlite3_prepare_v2(db, "INSERT INTO entries VALUES (?,?,?,?,?,?,?,?)", -1, &insert, nil)
    }

    deinit {
        sqlite3_finalize(insert)
        sqlite3_close(db)
    }

    func exec(_ sql: String) {
        var err: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &err) != SQLITE_OK {
            fatalError("sqlite: \(String(cString: err!))")
        }
    }

    private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func insertRow(seq: Int, payload: String, hash: [UInt8]) {
        let s = insert
        sqlite3_bind_int64(s, 1, Int64(seq))
        sqlite3_bind_text(s, 2, "2026-11-26T16:00:00.000Z", -1, transient)
        sqlite3_bind_text(s, 3, "note.added", -1, transient)
        sqlite3_bind_text(s, 4, "writer-1", -1, transient)
        sqlite3_bind_text(s, 5, "bench", -1, transient)
        sqlite3_bind_text(s, 6, payload, -1, transient)
        hash.withUnsafeBytes { b in
            sqlite3_bind_blob(s, 7, b.baseAddress, 32, transient)
            sqlite3_bind_blob(s, 8, b.baseAddress, 32, transient)
        }
        precondition(sqlite3_step(s) == SQLITE_DONE)
        sqlite3_reset(s)
    }
}
