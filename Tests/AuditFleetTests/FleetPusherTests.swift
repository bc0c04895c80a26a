import AuditCore
import AuditCrypto
import AuditFleet
import AuditLedger
import AuditTesting
import Foundation
import Testing

/// The plant's push loop against an in-memory central: batches, resumption after any
/// interruption, the central-ahead alarm, and cosignatures that must verify before they are kept.
@Suite struct FleetPusherTests {
    struct Plant {
        let ledger: TestLedger
        let central: TestCentral
        var origin: String { ledger.store.origin }

        func pusher(batch: Int = 7, witness: CosignerKey? = nil) -> FleetPusher {
            FleetPusher(store: ledger.store, transport: central, witness: witness ?? central.witness.key, batchSize: batch)
        }

        /// The central holds exactly this plant's leaves, once each.
        func expectMirrored(sourceLocation: SourceLocation = #_sourceLocation) throws {
            let size = try ledger.store.size()
            let leaves = try (0..<size).map { try ledger.store.leafHash(seq: $0) }
            #expect(central.storedLeaves(of: origin) == leaves, sourceLocation: sourceLocation)
        }
    }

    static func plant(entries: Int = 30) async throws -> Plant {
        let ledger = try await TestLedger.make(entries: entries)
        let central = try TestCentral()
        central.enroll(origin: ledger.store.origin, key: try ledger.home.verifierKey())
        return Plant(ledger: ledger, central: central)
    }

    @Test func pushesInBatchesUntilCurrentAndKeepsTheVerifiedCosignature() async throws {
        let p = try await Self.plant(entries: 30)
        let size = try p.ledger.store.size()
        let summary = try await p.pusher(batch: 7).pushUntilCurrent()
        #expect(summary.rememberedSize == 0)
        #expect(summary.entriesPushed == size)
        #expect(summary.pushes >= size / 7)
        #expect(summary.centralSize == size)
        #expect(summary.cosigned?.size == size)
        try p.expectMirrored()
        // Every push's cosignature is kept, and it verifies over that stored checkpoint.
        let stored = try #require(try p.ledger.store.latestCosignedCheckpoint(witness: p.central.witness.key))
        #expect(stored.checkpoint.size == size)
        let note = stored.checkpoint.cosignedNote(stored.cosignatures)
        let parts = try Cosignature.split(note: note)
        let verified = try Cosignature.verify(checkpointText: parts.text, signatureLines: parts.signatures, witnesses: [p.central.witness.key])
        #expect(verified.count == 1)
        #expect(try SignedNote.open(note, verifiers: [p.ledger.home.verifierKey()]).text == parts.text)
        #expect(try p.ledger.store.cosignedSizes(limit: 100).count == summary.pushes)

        // Current: a second run sends nothing.
        let again = try await p.pusher(batch: 7).pushUntilCurrent()
        #expect(again.pushes == 0 && again.entriesPushed == 0 && again.rememberedSize == size && again.centralSize == size)
        #expect(p.central.pushesReceived == summary.pushes + summary.conflicts)
    }

    @Test func resumesAfterTheAnswerOfAPushWasLost() async throws {
        let p = try await Self.plant(entries: 30)
        p.central.inject(.answer(try cosignatureOf(p, size: nil)))  // first push: answered as usual
        p.central.inject(.loseAnswerAfterStoring)                    // second: stored, answer lost
        await #expect(throws: FleetPushError.central(.transport("connection dropped (injected)"))) {
            try await p.pusher(batch: 7).pushUntilCurrent()
        }
        let remembered = try #require(try p.ledger.store.latestCosignedCheckpoint(witness: p.central.witness.key)).checkpoint.size
        #expect(p.central.size(of: p.origin) > remembered)
        // The plant starts from what it remembers; the central's 409 moves it on; nothing twice.
        let summary = try await p.pusher(batch: 7).pushUntilCurrent()
        #expect(summary.rememberedSize == remembered)
        #expect(summary.conflicts == 1)
        #expect(summary.centralSize == (try p.ledger.store.size()))
        try p.expectMirrored()
    }

    @Test func aLostFinalAnswerIsRecoveredByPushingTheSameCheckpointAgain() async throws {
        let p = try await Self.plant(entries: 12)
        let size = try p.ledger.store.size()
        p.central.inject(.loseAnswerAfterStoring)
        await #expect(throws: FleetPushError.self) { try await p.pusher(batch: 5_000).pushUntilCurrent() }
        #expect(p.central.size(of: p.origin) == size)
        #expect(try p.ledger.store.latestCosignedCheckpoint() == nil)
        // 409 (the central holds everything), then the same checkpoint again for a fresh cosignature.
        let summary = try await p.pusher(batch: 5_000).pushUntilCurrent()
        #expect(summary.conflicts == 1 && summary.pushes == 1 && summary.entriesPushed == 0)
        #expect(summary.cosigned?.size == size)
        #expect(try p.ledger.store.cosignatures(size: size).count == 1)
        try p.expectMirrored()
    }

    @Test func interruptedAtEveryPushItStillEndsMirroredExactlyOnce() async throws {
        let p = try await Self.plant(entries: 25)
        for round in 0..<40 {
            if round % 2 == 0 { p.central.inject(.loseAnswerAfterStoring) } else { p.central.inject(.failBeforeStoring) }
            do {
                _ = try await p.pusher(batch: 4).pushUntilCurrent()
                break
            } catch FleetPushError.central(.transport) {
                continue
            }
        }
        let final = try await p.pusher(batch: 4).pushUntilCurrent()
        #expect(final.centralSize == (try p.ledger.store.size()))
        try p.expectMirrored()
    }

    @Test func aCentralThatHoldsMoreThanThePlantRaisesTheAlarm() async throws {
        let p = try await Self.plant(entries: 5)
        let size = try p.ledger.store.size()
        p.central.pad(origin: p.origin, extra: size + 3)
        let error = await #expect(throws: FleetPushError.self) { try await p.pusher().pushUntilCurrent() }
        #expect(error == .centralAhead(centralSize: size + 3, ledgerSize: size))
        #expect(error?.isAlarm == true)
        #expect(error?.description == "the central holds \(size + 3) entries, this ledger only \(size): was it restored from an old backup or forked?")
    }

    @Test func aCosignatureByAnotherKeyIsRefusedAndNotStored() async throws {
        let p = try await Self.plant(entries: 5)
        let impostor = try Cosigner(name: p.central.witness.name, privateKey: .generate())
        p.central.inject(.cosignWith(impostor))
        let error = await #expect(throws: FleetPushError.self) { try await p.pusher(batch: 5_000).pushUntilCurrent() }
        guard case .cosignature(_, let reason)? = error else {
            Issue.record("expected a cosignature failure, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("no cosignature by the configured witness key"))
        #expect(try p.ledger.store.latestCosignedCheckpoint() == nil)
    }

    @Test func anAlteredCosignatureIsRefusedAndNotStored() async throws {
        let p = try await Self.plant(entries: 5)
        var line = try cosignatureOf(p, size: nil)
        // Flip one base64 character of the signature (keeping the key hash intact).
        let index = line.index(line.endIndex, offsetBy: -6)
        line.replaceSubrange(index...index, with: line[index] == "A" ? "B" : "A")
        p.central.inject(.answer(line))
        let error = await #expect(throws: FleetPushError.self) { try await p.pusher(batch: 5_000).pushUntilCurrent() }
        guard case .cosignature(_, let reason)? = error else {
            Issue.record("expected a cosignature failure, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("does not verify"))
        #expect(try p.ledger.store.latestCosignedCheckpoint() == nil)
    }

    @Test func aCentralRestoredFromAnOldBackupIsPushedAgainAndReported() async throws {
        let p = try await Self.plant(entries: 10)
        _ = try await p.pusher().pushUntilCurrent()
        p.central.rewind(origin: p.origin, to: 4)
        for i in 0..<3 { try await p.ledger.store.append(TestLedger.sampleDraft(100 + i)) }
        let summary = try await p.pusher().pushUntilCurrent()
        #expect(summary.centralRewound?.held == 4)
        #expect(summary.centralSize == (try p.ledger.store.size()))
        try p.expectMirrored()
    }

    @Test func aPushTooLargeForTheBodyLimitIsSplitIntoSmallerOnes() async throws {
        let p = try await Self.plant(entries: 20)
        p.central.tooLargeAbove = 3
        let summary = try await p.pusher(batch: 10).pushUntilCurrent()
        #expect(summary.centralSize == (try p.ledger.store.size()))
        #expect(summary.pushes >= summary.entriesPushed / 3)
        try p.expectMirrored()
    }

    @Test func anUnknownOriginIsARefusal() async throws {
        let ledger = try await TestLedger.make(entries: 2)
        let central = try TestCentral()
        let pusher = FleetPusher(store: ledger.store, transport: central, witness: central.witness.key)
        let error = await #expect(throws: FleetPushError.self) { try await pusher.pushUntilCurrent() }
        guard case .central(.refused(.unknownOrigin, _))? = error else {
            Issue.record("expected 404, got \(String(describing: error))")
            return
        }
    }

    /// A valid cosignature line by the central's witness over the checkpoint the next push
    /// will carry (`size` nil: the first batch of 7).
    func cosignatureOf(_ p: Plant, size: Int?) throws -> String {
        let push = try #require(try FleetPushBuilder.next(from: p.ledger.store, origin: p.origin, centralSize: 0, maxEntries: size ?? 7))
        return try p.central.witness.cosign(checkpointText: Cosignature.split(note: push.checkpoint).text,
                                            timestamp: UInt64(Date().timeIntervalSince1970))
    }
}
