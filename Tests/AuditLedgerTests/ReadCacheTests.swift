import AuditCore
@testable import AuditLedger
import AuditTesting
import Foundation
import Testing

/// What the read paths remember between calls — the row guard's pass per connection, the
/// proof nodes per ledger version — and the canonical page reader: each must give exactly
/// what a fresh read of the file gives now, after appends by anyone and after edits made
/// behind the ledger's back (with the sqlite3 shell, another process).
@Suite struct ReadCacheTests {
    func sqlite(_ t: TestLedger, _ sql: String) throws {
        let r = try CommandRunner.sqlite(t.home.ledgerPath, sql)
        #expect(r.status == 0, "\(r)")
    }

    static let filters: [EntryFilter] = [
        EntryFilter(), EntryFilter(kind: EntryKind.noteAdded), EntryFilter(subject: "chg-4"),
        EntryFilter(fromSeq: 7, limit: 11), EntryFilter(actor: "bob", fromSeq: 3, limit: 5),
    ]

    @Test func canonicalEntriesEqualTheDecodedEntriesEncoded() async throws {
        let t = try await TestLedger.make(entries: 40)
        for filter in Self.filters {
            let page = try t.store.canonicalEntries(filter)
            let decoded = try t.store.entries(filter)
            #expect(page.size == (try t.store.size()))
            #expect(page.entries.map(\.seq) == decoded.map(\.seq))
            #expect(page.entries.map(\.json) == decoded.map(\.canonicalBytes), "filter \(filter)")
        }
    }

    /// Rows no honest writer makes are handed to the decoder, so the text and the errors
    /// are the decoder's: a payload that is JSON but not canonical comes out canonical, an
    /// actor that is not UTF-8 comes out as the decoder repairs it, and a payload that is
    /// not JSON refuses the page.
    @Test func unusualRowsGetTheDecodersJudgement() async throws {
        let t = try await TestLedger.make(entries: 12)
        try sqlite(t, """
            DROP TRIGGER entries_no_update;
            UPDATE entries SET payload = ' ' || replace(payload, ':', ' : ') WHERE seq = 5;
            UPDATE entries SET actor = CAST(X'616C69FF' AS TEXT) WHERE seq = 6;
            """)
        let page = try t.store.canonicalEntries(EntryFilter())
        #expect(page.entries.map(\.json) == (try t.store.entries(EntryFilter())).map(\.canonicalBytes))
        #expect(!String(decoding: page.entries[5].json, as: UTF8.self).contains(" : "), "the payload is re-encoded")

        try sqlite(t, "UPDATE entries SET payload = '{not json' WHERE seq = 7")
        #expect {
            _ = try t.store.canonicalEntries(EntryFilter())
        } throws: { error in
            guard case .corrupted(let seq, let reason) = error as? LedgerError else { return false }
            return seq == 7 && reason.contains("not valid JSON")
        }
    }

    /// Rows found well formed are not checked again while the file is unchanged, and are
    /// checked again as soon as it changes: a payload rewritten behind the ledger's back
    /// shows (or refuses the page) at the very next read.
    @Test func rowsFoundWellFormedAreCheckedAgainAfterAnyCommit() async throws {
        let t = try await TestLedger.make(entries: 12)
        for _ in 0..<3 { _ = try t.store.canonicalEntries(EntryFilter()) } // every pooled connection has seen every row
        try sqlite(t, #"DROP TRIGGER entries_no_update; UPDATE entries SET payload = '{"edited":true}' WHERE seq = 7"#)
        for _ in 0..<3 {
            let page = try t.store.canonicalEntries(EntryFilter())
            #expect(String(decoding: page.entries[7].json, as: UTF8.self).contains(#""payload":{"edited":true}"#))
        }
        try sqlite(t, "UPDATE entries SET payload = '{not json' WHERE seq = 7")
        for _ in 0..<3 {
            #expect(throws: LedgerError.self) { _ = try t.store.canonicalEntries(EntryFilter()) }
        }
    }

    @Test func seqRangesMergeAndFind() {
        var r = SeqRanges()
        r.insert([5, 3, 4, 9])
        #expect(r.ranges == [3..<6, 9..<10])
        r.insert([6, 7, 8, 20])
        #expect(r.ranges == [3..<10, 20..<21])
        r.insert([0, 1])
        #expect(r.ranges == [0..<2, 3..<10, 20..<21])
        #expect([0, 1, 3, 9, 20].allSatisfy(r.contains))
        #expect(![2, 10, 19, 21, -1].contains(where: r.contains))
    }

    /// The guard's full check runs again once anyone commits: a store whose connection
    /// already passed it on the intact file refuses after a row is deleted elsewhere.
    @Test func aReaderThatPassedTheGuardRefusesARowDeletedLater() async throws {
        let t = try await TestLedger.make(entries: 19)
        #expect(try t.store.entries(EntryFilter(kind: EntryKind.noteAdded)).count == 7)
        #expect(try t.store.canonicalEntries(EntryFilter(kind: EntryKind.noteAdded)).entries.count == 7)
        try sqlite(t, "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq = 4")
        for _ in 0..<3 { // every pooled reader connection, not only the one that saw the change first
            #expect(throws: LedgerError.self) { _ = try t.store.entries(EntryFilter(kind: EntryKind.noteAdded)) }
            #expect(throws: LedgerError.self) { _ = try t.store.canonicalEntries(EntryFilter(kind: EntryKind.noteAdded)) }
        }
    }

    @Test func theVersionMovesWithEveryCommitByAnyoneAndOnlyThen() async throws {
        let t = try await TestLedger.make(entries: 3)
        let v0 = try t.store.version()
        _ = try t.store.entries()
        #expect(try t.store.version() == v0, "reading commits nothing")

        try await t.store.append([TestLedger.sampleDraft(3)])
        let v1 = try t.store.version()
        #expect(v1 > v0, "this store's own append")

        let other = try t.home.open(keySource: .signerKey(String(contentsOfFile: t.keyFile, encoding: .utf8)))
        try await other.append([TestLedger.sampleDraft(4)])
        let v2 = try t.store.version()
        #expect(v2 > v1, "another writer's append")

        try sqlite(t, "DROP TRIGGER entries_no_update; UPDATE entries SET subject = 'edited' WHERE seq = 1")
        #expect(try t.store.version() > v2, "an edit by another process, size unchanged")
    }

    /// Proofs reuse tree nodes while the file is unchanged, never after: a node changed
    /// behind the ledger's back shows in the next proof (and `verify` names it), instead of
    /// the store answering from what it read before.
    @Test func proofsFollowTheFileNotWhatTheyReadBefore() async throws {
        let t = try await TestLedger.make(entries: 40)
        let size = try t.store.size()
        let leaves = try (0..<size).map { try t.store.leafHash(seq: $0) }
        let root = try t.store.root()
        #expect(root == InMemoryMerkleTree.referenceRoot(leaves: leaves))
        for seq in 0..<size {
            let p = try t.store.inclusionProof(seq: seq)
            #expect(p.path == InMemoryMerkleTree.referenceInclusionProof(index: seq, leaves: leaves))
            try MerkleVerifier.verifyInclusion(leafHash: p.leafHash, index: seq, size: size, proof: p.path, root: root)
        }
        for from in 1...size {
            let c = try t.store.consistencyProof(from: from)
            #expect(c.path == InMemoryMerkleTree.referenceConsistencyProof(oldSize: from, leaves: leaves))
            try MerkleVerifier.verifyConsistency(oldSize: from, newSize: size, oldRoot: c.fromRoot, newRoot: c.toRoot, proof: c.path)
        }

        // Node (level 2, index 0) covers leaves 0..3: the level-2 sibling on the path of leaf 5.
        let forged = Digest(uncheckedBytes: [UInt8](repeating: 0xAB, count: 32))
        try sqlite(t, "DROP TRIGGER tree_nodes_no_update; UPDATE tree_nodes SET hash = X'\(forged.hex)' WHERE level = 2 AND idx = 0")
        let after = try t.store.inclusionProof(seq: 5)
        #expect(after.path.contains(forged), "the proof is built from the file as it is now")
        #expect(throws: MerkleProofError.self) {
            try MerkleVerifier.verifyInclusion(leafHash: after.leafHash, index: 5, size: size, proof: after.path, root: root)
        }
    }
}
