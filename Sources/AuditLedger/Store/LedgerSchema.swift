import GRDB

/// Tables, append-only triggers and migrations. The triggers stop honest mistakes and
/// casual edits; real tamper evidence comes from the hash chain and signed checkpoints,
/// because anyone holding the file can drop a trigger.
enum LedgerSchema {
    static let formatTag = "auditctl-ledger"

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-ledger") { db in
            try db.execute(sql: """
                CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE entries(
                    seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 0),
                    time TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    prev BLOB NOT NULL,
                    hash BLOB NOT NULL
                );
                CREATE INDEX entries_by_kind ON entries(kind);
                CREATE INDEX entries_by_subject ON entries(subject);
                CREATE TABLE tree_nodes(
                    level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,
                    PRIMARY KEY(level, idx)
                ) WITHOUT ROWID;
                CREATE TABLE checkpoints(
                    size INTEGER PRIMARY KEY NOT NULL,
                    root BLOB NOT NULL,
                    note TEXT NOT NULL,
                    created TEXT NOT NULL
                );
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
        return m
    }
}
