import GRDB

/// Tables, append-only triggers and migrations. The triggers stop honest mistakes and
/// casual edits; real tamper evidence comes from the hash chain and signed checkpoints,
/// because anyone holding the file can drop a trigger.
enum LedgerSchema {
    static let formatTag = "auditctl-ledger"
    /// Witness cosignatures of stored checkpoints (migration v3).
    static let cosignaturesTable = "checkpoint_cosignatures"

    /// Rows that `verify` refuses as malformed, as one SQL condition: a column whose storage
    /// type is not the declared one (SQLite stores a BLOB in a TEXT column unchanged, and
    /// `kind IN (…)` never matches it), a hash of the wrong length, or a negative seq.
    /// Readers look for such rows before trusting a filtered query (`RowGuard`).
    static let malformedRowCondition = """
        typeof(time) != 'text' OR typeof(kind) != 'text' OR typeof(actor) != 'text' \
        OR typeof(subject) != 'text' OR typeof(payload) != 'text' OR typeof(prev) != 'blob' \
        OR typeof(hash) != 'blob' OR length(prev) != 32 OR length(hash) != 32 OR seq < 0
        """

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        // Ledgers created since the typed-rows release get STRICT tables (SQLite >= 3.37
        // refuses a value of the wrong type on insert or update); older files keep their
        // tables, since SQLite cannot alter a table to STRICT, and rely on the same checks
        // in `verify` and `RowGuard`, which hold for both.
        m.registerMigration("v1-ledger") { db in
            try db.execute(sql: """
                CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID, STRICT;
                CREATE TABLE entries(
                    seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 0),
                    time TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    prev BLOB NOT NULL,
                    hash BLOB NOT NULL
                ) STRICT;
                CREATE INDEX entries_by_kind ON entries(kind);
                CREATE INDEX entries_by_subject ON entries(subject);
                CREATE TABLE tree_nodes(
                    level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,
                    PRIMARY KEY(level, idx)
                ) WITHOUT ROWID, STRICT;
                CREATE TABLE checkpoints(
                    size INTEGER PRIMARY KEY NOT NULL,
                    root BLOB NOT NULL,
                    note TEXT NOT NULL,
                    created TEXT NOT NULL
                ) STRICT;
                """)
            for table in ["meta", "entries", "tree_nodes", "checkpoints"] {
                try db.execute(sql: """
                    CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                    BEGIN SELECT RAISE(ABORT, 'auditctl ledger is append-only: \(table) rows cannot be updated'); END;
                    CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                    BEGIN SELECT RAISE(ABORT, 'auditctl ledger is append-only: \(table) rows cannot be deleted'); END;
                    """)
            }
        }
        // A partial index that holds only malformed rows: empty in an intact ledger, so
        // readers find out in one index probe that no row is hiding from a filtered query.
        // Dropping it only makes that probe a full scan; it never changes the answer.
        m.registerMigration("v2-malformed-row-index") { db in
            try db.execute(sql: "CREATE INDEX entries_malformed ON entries(seq) WHERE \(malformedRowCondition)")
        }
        // Witness cosignatures of the plant's own checkpoints, as the central fleet service
        // answered a push (Docs/fleet.md). Beside the log, like `checkpoints`, not in it: they
        // are evidence about the log, verifiable on their own, and never hashed into it. One row
        // per checkpoint size and witness key: a retried push keeps the first cosignature.
        // Applied like v2: by the first read-write open of an older file; a read-only open of
        // such a file reads as "no cosignatures" (`LedgerStore.cosignatures`).
        m.registerMigration("v3-checkpoint-cosignatures") { db in
            try db.execute(sql: """
                CREATE TABLE \(cosignaturesTable)(
                    size INTEGER NOT NULL,
                    witness TEXT NOT NULL,
                    timestamp INTEGER NOT NULL,
                    line TEXT NOT NULL,
                    received TEXT NOT NULL,
                    PRIMARY KEY(size, witness)
                ) WITHOUT ROWID, STRICT;
                CREATE TRIGGER \(cosignaturesTable)_no_update BEFORE UPDATE ON \(cosignaturesTable)
                BEGIN SELECT RAISE(ABORT, 'auditctl ledger is append-only: \(cosignaturesTable) rows cannot be updated'); END;
                CREATE TRIGGER \(cosignaturesTable)_no_delete BEFORE DELETE ON \(cosignaturesTable)
                BEGIN SELECT RAISE(ABORT, 'auditctl ledger is append-only: \(cosignaturesTable) rows cannot be deleted'); END;
                """)
        }
        return m
    }
}
