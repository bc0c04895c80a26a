import AuditCore
import AuditLedger
import AuditTesting
import Foundation
import Testing

/// Edits that keep every hash intact but change what SQL sees (issue 8): a kind stored as a
/// BLOB (same bytes, same hash, never matched by `kind IN (…)`), a row with a negative seq,
/// a deleted row. `verify` must name each; every reader must refuse to read past it instead
/// of silently skipping it (the records replay reads through `entries(filter)`).
@Suite struct TypedRowTests {
    /// A ledger of 20 entries (seq 0..19).
    func makeLedger() async throws -> TestLedger {
        try await TestLedger.make(entries: 19)
    }

    func sqlite(_ t: TestLedger, _ sql: String) throws -> CommandResult {
        try CommandRunner.sqlite(t.home.ledgerPath, sql)
    }

    func verify(_ t: TestLedger) throws -> (CommandResult, JSONValue) {
        let r = try CommandRunner.auditctl(["verify", "--json"], dataDir: t.home.directory)
        return (r, (try? JSONValue.parse(r.stdout)) ?? .null)
    }

    func problems(_ report: JSONValue) -> [(kind: String, seq: Int?, message: String)] {
        (report["problems"]?.arrayValue ?? []).map {
            ($0["kind"]?.stringValue ?? "", $0["seq"]?.int64Value.map(Int.init), $0["message"]?.stringValue ?? "")
        }
    }

    /// What an insider does first on a ledger created with STRICT tables: rewrite the
    /// schema text so the table is no longer STRICT (SQLite cannot ALTER it back and forth).
    func dropStrict(_ t: TestLedger) throws {
        let r = try sqlite(t, """
            PRAGMA writable_schema=ON;
            UPDATE sqlite_schema SET sql = replace(sql, ') STRICT', ')') WHERE name = 'entries';
            """)
        #expect(r.status == 0, "\(r)")
    }

    @Test func newLedgersHaveStrictTablesThatRefuseABlobKind() async throws {
        let t = try await makeLedger()
        let r = try sqlite(t, "DROP TRIGGER entries_no_update; UPDATE entries SET kind = CAST(kind AS BLOB) WHERE seq = 5")
        #expect(r.status != 0)
        #expect(r.stderr.contains("cannot store BLOB value in TEXT column"), "\(r)")
    }

    @Test(arguments: [false, true])
    func blobKindIsNamedByVerifyAndRefusedByReaders(dropGuardIndex: Bool) async throws {
        let t = try await makeLedger()
        try dropStrict(t)
        let edit = try sqlite(t, """
            DROP TRIGGER entries_no_update;
            \(dropGuardIndex ? "DROP INDEX entries_malformed;" : "")
            UPDATE entries SET kind = CAST(kind AS BLOB) WHERE seq = 7;
            """)
        #expect(edit.status == 0, "\(edit)")
        #expect(try sqlite(t, "SELECT count(*) FROM entries WHERE kind IN ('note.added','checkpoint.requested')").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines) == "18", "the row hides from a kind filter")

        let (r, report) = try verify(t)
        #expect(r.status == 1, "\(r)")
        #expect(report["firstBadSeq"]?.int64Value == 7)
        let p = problems(report)
        #expect(p.contains { $0.kind == "malformed-entry" && $0.seq == 7 && $0.message.contains("column kind holds a blob") }, "\(p)")
        #expect(!p.contains { $0.kind == "entry-hash-mismatch" }, "same bytes, same hash: only the type gives it away")

        // A fresh process's reader (the replay's path) refuses instead of skipping it.
        let reopened = try t.home.open(readOnly: true)
        #expect {
            _ = try reopened.entries(EntryFilter(kinds: [EntryKind.noteAdded, EntryKind.checkpointRequested]))
        } throws: { error in
            guard case .corrupted(let seq, let reason) = error as? LedgerError else { return false }
            return seq == 7 && reason.contains("column kind holds a blob")
        }
        let log = try CommandRunner.auditctl(["log", "--kind", EntryKind.noteAdded], dataDir: t.home.directory)
        #expect(log.status == 1, "\(log)")
        #expect(log.stderr.contains("seq 7") && log.stderr.contains("kind"), "\(log.stderr)")
        #expect(log.stdout.isEmpty)
    }

    @Test func negativeSeqRowIsNamedByVerifyAndRefusedByReaders() async throws {
        let t = try await makeLedger()
        let e = try t.store.entry(seq: 3)
        let h = try t.store.leafHash(seq: 3)
        let edit = try sqlite(t, """
            PRAGMA ignore_check_constraints = ON;
            INSERT INTO entries VALUES (-1, '\(e.time)', 'user.deactivated', 'admin', 'bob', '{}', X'\(e.prev.hex)', X'\(h.hex)');
            """)
        #expect(edit.status == 0, "\(edit)")

        let (r, report) = try verify(t)
        #expect(r.status == 1, "\(r)")
        let p = problems(report)
        #expect(p.contains { $0.kind == "malformed-entry" && $0.seq == -1 && $0.message.contains("outside the log") }, "\(p)")

        let reopened = try t.home.open(readOnly: true)
        #expect(throws: LedgerError.self) { _ = try reopened.entries(EntryFilter(kinds: [EntryKind.userDeactivated])) }
        let log = try CommandRunner.auditctl(["log"], dataDir: t.home.directory)
        #expect(log.status == 1 && log.stdout.isEmpty, "\(log)")
        #expect(log.stderr.contains("not exactly seq 0..20"), "\(log.stderr)")
    }

    @Test func deletedRowMakesFilteredReadersRefuse() async throws {
        let t = try await makeLedger()
        #expect(try sqlite(t, "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq = 4").status == 0)
        let reopened = try t.home.open(readOnly: true)
        #expect(throws: LedgerError.self) { _ = try reopened.entries(EntryFilter(kinds: [EntryKind.noteAdded])) }
    }

    @Test func theGuardProbeUsesThePartialIndex() async throws {
        let t = try await makeLedger()
        let plan = try sqlite(t, """
            EXPLAIN QUERY PLAN SELECT seq FROM entries WHERE typeof(time) != 'text' OR typeof(kind) != 'text' OR typeof(actor) != 'text' OR typeof(subject) != 'text' OR typeof(payload) != 'text' OR typeof(prev) != 'blob' OR typeof(hash) != 'blob' OR length(prev) != 32 OR length(hash) != 32 OR seq < 0 LIMIT 1
            """)
        #expect(plan.stdout.contains("entries_malformed"), "\(plan)")
    }

    @Test func intactLedgerReadsAndVerifies() async throws {
        let t = try await makeLedger()
        #expect(try t.store.entries(EntryFilter(kinds: [EntryKind.noteAdded])).count == 7)
        let (r, report) = try verify(t)
        #expect(r.status == 0, "\(r)")
        #expect(report["ok"] == .bool(true))
    }
}
