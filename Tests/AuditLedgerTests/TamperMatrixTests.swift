import AuditCore
import AuditCrypto
import AuditLedger
import AuditTesting
import Foundation
import Testing

/// Each case tampers with a real ledger file the way an insider with file access would
/// (sqlite3 shell or raw bytes), then runs the real `auditctl verify` in a fresh process.
@Suite struct TamperMatrixTests {
    /// A ledger of 20 entries (seq 0..19), its log key kept in a file.
    func makeLedger() async throws -> TestLedger {
        try await TestLedger.make(entries: 19)
    }

    struct Outcome {
        let result: CommandResult
        let report: JSONValue
        var firstBadSeq: Int? { report["firstBadSeq"]?.int64Value.map(Int.init) }
        var kinds: [String] { report["problems"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? [] }
    }

    func verify(_ t: TestLedger, extra: [String] = []) throws -> Outcome {
        let r = try CommandRunner.auditctl(["verify", "--json"] + extra, dataDir: t.home.directory)
        let report = (try? JSONValue.parse(r.stdout)) ?? .null
        return Outcome(result: r, report: report)
    }

    func tamper(_ t: TestLedger, _ sql: String) throws {
        let r = try CommandRunner.sqlite(t.home.ledgerPath, sql)
        #expect(r.status == 0, "sqlite3 failed: \(r)")
    }

    @Test func untouchedLedgerVerifies() async throws {
        let t = try await makeLedger()
        let o = try verify(t)
        #expect(o.result.status == 0, "\(o.result)")
        #expect(o.report["ok"] == .bool(true))
    }

    @Test func triggersRefuseUpdateAndDelete() async throws {
        let t = try await makeLedger()
        let u = try CommandRunner.sqlite(t.home.ledgerPath, "UPDATE entries SET actor='mallory' WHERE seq=3")
        #expect(u.status != 0 && u.stderr.contains("append-only"))
        let d = try CommandRunner.sqlite(t.home.ledgerPath, "DELETE FROM checkpoints")
        #expect(d.status != 0 && d.stderr.contains("append-only"))
    }

    @Test func editedPayloadIsNamed() async throws {
        let t = try await makeLedger()
        try tamper(t, "DROP TRIGGER entries_no_update; UPDATE entries SET payload='{\"n\":7,\"reason\":\"nothing to see\"}' WHERE seq=7")
        let o = try verify(t)
        #expect(o.result.status == 1)
        #expect(o.firstBadSeq == 7)
        #expect(o.kinds.contains("entry-hash-mismatch"))
        #expect(o.result.stderr.contains("error: ledger verification failed: seq 7"))
        #expect(o.result.stderr.contains("hint:"))
    }

    @Test func deletedEntryIsNamed() async throws {
        let t = try await makeLedger()
        try tamper(t, "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq=11")
        let o = try verify(t)
        #expect(o.result.status == 1)
        #expect(o.firstBadSeq == 11)
        #expect(o.kinds.contains("missing-entries"))
    }

    @Test func insertedEntryIsNamed() async throws {
        let t = try await makeLedger()
        // Renumber 5.. up by one and insert a well-formed forged entry at 5 whose own hash
        // and prev are correct: only the chain after it and the checkpoints can tell.
        let e4 = try t.store.entry(seq: 4)
        let h4 = try t.store.leafHash(seq: 4)
        let forged = Entry(seq: 5, time: e4.time, kind: EntryKind.noteAdded, actor: "mallory", subject: "",
                           payload: .object(["text": .string("approved by QA")]), prev: h4)
        let fh = MerkleHash.leaf(forged.canonicalBytes)
        try tamper(t, """
            DROP TRIGGER entries_no_update;
            UPDATE entries SET seq = seq + 1000 WHERE seq >= 5;
            UPDATE entries SET seq = seq - 999 WHERE seq >= 1000;
            INSERT INTO entries VALUES (5, '\(forged.time)', 'note.added', 'mallory', '', '\(forged.payload.canonicalString())', X'\(h4.hex)', X'\(fh.hex)');
            """)
        let o = try verify(t)
        #expect(o.result.status == 1)
        #expect(o.firstBadSeq == 5, "\(o.result.stdout)")
    }

    @Test func swappedEntriesAreNamed() async throws {
        let t = try await makeLedger()
        try tamper(t, """
            DROP TRIGGER entries_no_update;
            UPDATE entries SET seq = 100000 WHERE seq = 8;
            UPDATE entries SET seq = 8 WHERE seq = 9;
            UPDATE entries SET seq = 9 WHERE seq = 100000;
            """)
        let o = try verify(t)
        #expect(o.result.status == 1)
        #expect(o.firstBadSeq == 8)
    }

    @Test func truncatedLogIsNamed() async throws {
        let t = try await makeLedger()
        try tamper(t, "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq >= 15")
        let o = try verify(t)
        #expect(o.result.status == 1)
        #expect(o.firstBadSeq == 15)
        #expect(o.kinds.contains("checkpoint-beyond-log"))
    }

    @Test func truncatedWithItsCheckpointsIsCaughtByTheTrustedCheckpoint() async throws {
        let t = try await makeLedger()
        let trusted = t.directory.file("trusted.checkpoint")
        try #require(try t.store.latestCheckpoint()).note.write(toFile: trusted, atomically: true, encoding: .utf8)
        try tamper(t, """
            DROP TRIGGER entries_no_delete; DROP TRIGGER tree_nodes_no_delete; DROP TRIGGER checkpoints_no_delete;
            DELETE FROM entries WHERE seq >= 15; DELETE FROM checkpoints WHERE size > 15;
            DELETE FROM tree_nodes WHERE ((idx + 1) << level) > 15;
            """)
        #expect(try verify(t).result.status == 0, "consistent truncation is invisible without outside knowledge")
        let o = try verify(t, extra: ["--trusted-checkpoint", trusted])
        #expect(o.result.status == 1)
        #expect(o.kinds.contains("trusted-checkpoint-not-extended"))
        #expect(o.firstBadSeq == 15)
    }

    @Test func rawByteEditIsNamed() async throws {
        let t = try await makeLedger()
        try tamper(t, "PRAGMA wal_checkpoint(TRUNCATE)")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: t.home.ledgerPath)))
        let needle = Array("retrain #12 ".utf8)
        let at = try #require(bytes.indices.first { i in i + needle.count <= bytes.count && Array(bytes[i..<i + needle.count]) == needle })
        bytes[at + 10] = UInt8(ascii: "9") // "#12" becomes "#19": same length, different record
        try Data(bytes).write(to: URL(fileURLWithPath: t.home.ledgerPath))
        let o = try verify(t)
        #expect(o.result.status == 1)
        #expect(o.firstBadSeq == 13) // sample draft 12 is entry seq 13
    }

    @Test func recomputedChainIsCaughtOnlyByTheSignedCheckpoint() async throws {
        let t = try await makeLedger()
        // Rewrite entry 6, then recompute every later hash, prev and Merkle node so the
        // file is perfectly self-consistent. Only the signed checkpoints disagree.
        var entries = try t.store.entries()
        let e = entries[6]
        entries[6] = Entry(seq: 6, time: e.time, kind: e.kind, actor: "mallory", subject: e.subject, payload: e.payload, prev: e.prev)
        var sql = "DROP TRIGGER entries_no_update; DROP TRIGGER tree_nodes_no_delete; DELETE FROM tree_nodes;\n"
        let tree = InMemoryMerkleTree()
        var prev = Digest.zero
        for (i, old) in entries.enumerated() {
            let fixed = Entry(seq: i, time: old.time, kind: old.kind, actor: old.actor, subject: old.subject,
                              payload: old.payload, prev: prev)
            let h = MerkleHash.leaf(fixed.canonicalBytes)
            sql += "UPDATE entries SET actor='\(fixed.actor)', prev=X'\(prev.hex)', hash=X'\(h.hex)' WHERE seq=\(i);\n"
            try tree.append(leafHash: h)
            prev = h
        }
        for level in 1..<6 {
            var idx = 0
            while let node = try? tree.node(level: level, index: idx) {
                sql += "INSERT INTO tree_nodes VALUES (\(level), \(idx), X'\(node.hex)');\n"
                idx += 1
            }
        }
        try tamper(t, sql)
        let o = try verify(t)
        #expect(o.result.status == 1, "\(o.result)")
        #expect(!o.kinds.contains("entry-hash-mismatch"))
        #expect(!o.kinds.contains("tree-node-mismatch"))
        #expect(o.kinds.contains("checkpoint-contradicted"))
        #expect(o.firstBadSeq == 6, "the last checkpoint that still matches is at size 6")
        #expect(o.result.stderr.contains("checkpoint"))
    }

    @Test func replacedLogKeyIsCaught() async throws {
        let t = try await makeLedger()
        let other = try await TestLedger.make(origin: "test.example/ledger")
        let o = try verify(t, extra: ["--log-key", other.home.verifierKeyPath])
        #expect(o.result.status == 1)
        #expect(o.kinds.contains("verifier-key-mismatch"))
        #expect(o.kinds.contains("checkpoint-signature"))
    }
}
