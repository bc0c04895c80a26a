/// The fleet database's tables, versioned like the plant's SQLite schema (`LedgerSchema`):
/// an ordered list of named migrations, each applied once in its own transaction and
/// recorded in `fleet_migrations`; a database holding a migration this release does not know
/// was written by a newer release and is refused. Never edit a released migration: add one.
///
/// Append-only tables (entries, checkpoints, cosignatures, evidence, alarms, the central's
/// own log) refuse UPDATE, DELETE and TRUNCATE by trigger. As with the plant's triggers this
/// stops mistakes and casual edits by anyone without the owner's rights; tamper evidence
/// comes from the hash chains and signed checkpoints.
enum FleetSchema {
    static let formatTag = "auditctl-fleet/v1"

    struct Migration: Sendable {
        let id: String
        /// One statement each: the extended query protocol runs one statement per query.
        let statements: [String]
    }

    static let appendOnlyTables = [
        "plant_entries", "plant_nodes", "plant_checkpoints", "cosignatures", "evidence", "alarms",
        "central_entries", "central_nodes", "central_checkpoints",
    ]

    static let migrations: [Migration] = [
        Migration(id: "v1-fleet", statements: [
            // Identity of this central: format, origin, its log and witness public keys.
            "CREATE TABLE fleet_meta(key text PRIMARY KEY, value text NOT NULL)",
            // One row per enrolled plant; `size`, `root`, `last_leaf` and `frontier` (the
            // compact range: one perfect-subtree hash per set bit of size, largest first)
            // describe the stored tree so a push extends it without reading old entries.
            """
            CREATE TABLE plants(
                origin text PRIMARY KEY,
                display_name text,
                verifier_key text NOT NULL,
                enrolled_by text NOT NULL,
                enrolled_at timestamptz NOT NULL DEFAULT now(),
                enrolled_seq bigint NOT NULL,
                size bigint NOT NULL DEFAULT 0 CHECK (size >= 0),
                root bytea NOT NULL CHECK (length(root) = 32),
                last_leaf bytea NOT NULL CHECK (length(last_leaf) = 32),
                frontier bytea NOT NULL CHECK (length(frontier) % 32 = 0),
                checkpoint text,
                last_push_at timestamptz,
                alarm_count bigint NOT NULL DEFAULT 0 CHECK (alarm_count >= 0)
            )
            """,
            // Every plant entry exactly as the plant hashed it. No foreign key: rows are only
            // ever written by the ingest, under the plant row's lock, and a per-row FK check
            // would cost the bulk insert for nothing.
            """
            CREATE TABLE plant_entries(
                origin text NOT NULL,
                seq bigint NOT NULL CHECK (seq >= 0),
                time text NOT NULL,
                kind text NOT NULL,
                actor text NOT NULL,
                subject text NOT NULL,
                payload text NOT NULL,
                prev bytea NOT NULL CHECK (length(prev) = 32),
                leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32),
                PRIMARY KEY (origin, seq)
            )
            """,
            // Perfect subtree hashes of each plant's tree at levels 8, 16, 24, …: with the leaf
            // hashes they give the root at any stored size in at most 128 rows per level read
            // (fork and rollback checks), for 1/255 of the entries' row count.
            """
            CREATE TABLE plant_nodes(
                origin text NOT NULL,
                level smallint NOT NULL CHECK (level > 0 AND level % 8 = 0),
                idx bigint NOT NULL CHECK (idx >= 0),
                hash bytea NOT NULL CHECK (length(hash) = 32),
                PRIMARY KEY (origin, level, idx)
            )
            """,
            """
            CREATE TABLE plant_checkpoints(
                origin text NOT NULL REFERENCES plants(origin),
                size bigint NOT NULL CHECK (size >= 0),
                root bytea NOT NULL CHECK (length(root) = 32),
                note text NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now(),
                central_seq bigint NOT NULL,
                PRIMARY KEY (origin, size)
            )
            """,
            // Every cosignature the central's witness key issued (a resubmission gets a fresh one).
            """
            CREATE TABLE cosignatures(
                id bigserial PRIMARY KEY,
                origin text NOT NULL REFERENCES plants(origin),
                size bigint NOT NULL,
                root bytea NOT NULL CHECK (length(root) = 32),
                cosigned_at bigint NOT NULL,
                line text NOT NULL,
                issued_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX cosignatures_by_plant ON cosignatures(origin, size)",
            // Refused pushes whose checkpoint the plant's key signed: the body verbatim.
            """
            CREATE TABLE evidence(
                id bigserial PRIMARY KEY,
                origin text NOT NULL REFERENCES plants(origin),
                received_at timestamptz NOT NULL DEFAULT now(),
                reason text NOT NULL,
                checkpoint text NOT NULL,
                body_sha256 bytea NOT NULL CHECK (length(body_sha256) = 32),
                body bytea NOT NULL
            )
            """,
            """
            CREATE TABLE alarms(
                id bigserial PRIMARY KEY,
                origin text NOT NULL REFERENCES plants(origin),
                kind text NOT NULL,
                message text NOT NULL,
                stored_size bigint NOT NULL,
                claimed_size bigint NOT NULL,
                evidence_id bigint NOT NULL REFERENCES evidence(id),
                central_seq bigint NOT NULL,
                raised_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX alarms_by_plant ON alarms(origin, raised_at)",
            // The central's own log: entries in the plant ledger's format (same leaf hash),
            // every perfect subtree node (proofs in O(log n) reads), signed checkpoints.
            """
            CREATE TABLE central_head(
                id smallint PRIMARY KEY CHECK (id = 1),
                size bigint NOT NULL CHECK (size >= 0),
                last_leaf bytea NOT NULL CHECK (length(last_leaf) = 32),
                frontier bytea NOT NULL CHECK (length(frontier) % 32 = 0),
                last_time text NOT NULL
            )
            """,
            """
            CREATE TABLE central_entries(
                seq bigint PRIMARY KEY CHECK (seq >= 0),
                time text NOT NULL,
                kind text NOT NULL,
                actor text NOT NULL,
                subject text NOT NULL,
                payload text NOT NULL,
                prev bytea NOT NULL CHECK (length(prev) = 32),
                leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32)
            )
            """,
            "CREATE INDEX central_entries_by_kind ON central_entries(kind, seq)",
            "CREATE INDEX central_entries_by_subject ON central_entries(subject, seq)",
            """
            CREATE TABLE central_nodes(
                level smallint NOT NULL CHECK (level > 0),
                idx bigint NOT NULL CHECK (idx >= 0),
                hash bytea NOT NULL CHECK (length(hash) = 32),
                PRIMARY KEY (level, idx)
            )
            """,
            """
            CREATE TABLE central_checkpoints(
                size bigint PRIMARY KEY CHECK (size > 0),
                root bytea NOT NULL CHECK (length(root) = 32),
                note text NOT NULL,
                created timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE FUNCTION fleet_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'auditctl fleet is append-only: % rows cannot be %d', TG_TABLE_NAME, lower(TG_OP)
                    USING ERRCODE = 'restrict_violation';
            END
            $$
            """,
        ] + appendOnlyTables.flatMap { table in [
            """
            CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE ON \(table)
            FOR EACH ROW EXECUTE FUNCTION fleet_refuse_change()
            """,
            """
            CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON \(table)
            FOR EACH STATEMENT EXECUTE FUNCTION fleet_refuse_change()
            """,
        ] }),
        // Fleet queries list a model's entries by (plant, change ID); without this index each
        // such query would scan every plant's entries.
        Migration(id: "v2-fleet-queries", statements: [
            "CREATE INDEX plant_entries_by_subject ON plant_entries(origin, subject, seq)",
        ]),
    ]
}
