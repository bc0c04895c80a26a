import AuditCore
import AuditCrypto
import AuditLedger
import AuditTesting
import Foundation
import Testing

/// Witness cosignatures kept beside the log (`checkpoint_cosignatures`, schema v3): only ones
/// that verify over the stored checkpoint get in, rows are never changed, and a ledger from
/// before the table opens read-only without it and gains it on its first read-write open.
@Suite struct CheckpointCosignatureTests {
    static let witness = try! Cosigner(name: "central.example/witness", privateKey: .generate())

    /// The witness's verified cosignature of `checkpoint`.
    static func cosign(_ checkpoint: StoredCheckpoint, by cosigner: Cosigner = witness, at time: UInt64 = 1_780_000_000) throws -> VerifiedCosignature {
        let text = try Cosignature.split(note: checkpoint.note).text
        let line = try cosigner.cosign(checkpointText: text, timestamp: time)
        return try #require(try Cosignature.verify(checkpointText: text, signatureLines: line, witnesses: [cosigner.key]).first)
    }

    @Test func storedCosignaturesReadBackAndMakeOneValidMultiSignatureNote() async throws {
        let t = try await TestLedger.make(entries: 4)
        let cp = try #require(try t.store.latestCheckpoint())
        #expect(try t.store.latestCosignedCheckpoint() == nil)
        #expect(try t.store.storeCosignatures([Self.cosign(cp)], size: cp.size) == 1)
        // A retried push: the first cosignature stays.
        #expect(try t.store.storeCosignatures([Self.cosign(cp, at: 1_780_000_999)], size: cp.size) == 0)
        let stored = try t.store.cosignatures(size: cp.size)
        #expect(stored.count == 1)
        #expect(stored[0].witness == Self.witness.key)
        #expect(stored[0].timestamp == 1_780_000_000)
        let latest = try #require(try t.store.latestCosignedCheckpoint(witness: Self.witness.key))
        #expect(latest.checkpoint == cp)
        let note = cp.cosignedNote(stored)
        #expect(try SignedNote.open(note, verifiers: [t.home.verifierKey()]).text == (try Cosignature.split(note: note).text))
        let parts = try Cosignature.split(note: note)
        #expect(try Cosignature.verify(checkpointText: parts.text, signatureLines: parts.signatures, witnesses: [Self.witness.key]).count == 1)
        // Appends go on as before, and the log still verifies.
        try await t.store.append(TestLedger.sampleDraft(9))
        #expect(try t.verifier.verify().ok)
        #expect(try t.store.latestCosignedCheckpoint()?.checkpoint.size == cp.size)
    }

    @Test func aCosignatureOfAnotherCheckpointOrOfNoStoredOneIsRefused() async throws {
        let t = try await TestLedger.make(entries: 4)
        let checkpoints = try t.store.checkpoints()
        let older = checkpoints[checkpoints.count - 2], newest = checkpoints[checkpoints.count - 1]
        #expect(throws: LedgerError.self) { try t.store.storeCosignatures([Self.cosign(older)], size: newest.size) }
        #expect(throws: LedgerError.self) { try t.store.storeCosignatures([Self.cosign(newest)], size: newest.size + 100) }
        #expect(try t.store.cosignatures(size: newest.size).isEmpty)
    }

    @Test func rowsCannotBeChangedOrRemoved() async throws {
        let t = try await TestLedger.make(entries: 2)
        let cp = try #require(try t.store.latestCheckpoint())
        try t.store.storeCosignatures([Self.cosign(cp)], size: cp.size)
        let update = try CommandRunner.sqlite(t.home.ledgerPath, "UPDATE checkpoint_cosignatures SET timestamp = 1")
        #expect(update.stderr.contains("append-only"), "\(update)")
        let delete = try CommandRunner.sqlite(t.home.ledgerPath, "DELETE FROM checkpoint_cosignatures")
        #expect(delete.stderr.contains("append-only"), "\(delete)")
        #expect(try t.store.cosignatures(size: cp.size).count == 1)
    }

    @Test func aLedgerFromBeforeTheTableReadsWithoutItAndIsUpgradedByAReadWriteOpen() async throws {
        let t = try await TestLedger.make(entries: 2)
        let path = t.home.ledgerPath
        let downgrade = try CommandRunner.sqlite(path, """
            DROP TABLE checkpoint_cosignatures; DELETE FROM grdb_migrations WHERE identifier = 'v3-checkpoint-cosignatures';
            """)
        #expect(downgrade.status == 0, "\(downgrade)")
        let tableCount = "SELECT count(*) FROM sqlite_schema WHERE name = 'checkpoint_cosignatures'"

        let reader = try t.home.open(readOnly: true)
        let cp = try #require(try reader.latestCheckpoint())
        #expect(try reader.cosignatures(size: cp.size).isEmpty)
        #expect(try reader.latestCosignedCheckpoint() == nil)
        #expect(try reader.cosignedSizes(limit: 10).isEmpty)
        #expect(try CommandRunner.sqlite(path, tableCount).stdout == "0\n", "a read-only open must not write")

        let writer = try t.home.open()
        #expect(try CommandRunner.sqlite(path, tableCount).stdout == "1\n")
        #expect(try writer.storeCosignatures([Self.cosign(cp)], size: cp.size) == 1)
    }
}
