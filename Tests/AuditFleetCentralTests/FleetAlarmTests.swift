import AuditCore
import AuditCrypto
import AuditFleet
@testable import AuditFleetCentral
import AuditLedger
import AuditTesting
import Foundation
import NIOCore
import Testing

/// A plant host that rewrites its history, signing with the plant's real key, is refused,
/// the push kept verbatim as evidence, and the alarm raised three ways: an `alarm.raised`
/// entry in the central's log, the Prometheus counter, an error-level log line. Nothing of
/// the rewritten history is stored.
@Suite struct FleetAlarmTests {
    /// The central holds the real plant's first `size` entries.
    private func central(with plant: TestPlant, _ f: FleetFixture) async throws -> Int {
        try await f.enroll(plant)
        try await f.pushAll(plant)
        return try plant.ledger.store.size()
    }

    private func expectAlarm(_ decision: PushDecision, _ kind: AlarmKind, push: FleetPush, plant: TestPlant,
                             heldSize: Int, heldRoot: Digest, _ f: FleetFixture) async throws {
        guard case let .refused(alarm, _, evidenceID) = decision else {
            Issue.record("expected a \(kind) alarm, got \(decision)")
            return
        }
        #expect(alarm == kind)
        // Evidence: the body verbatim, its digest, the signed note.
        let evidence = try await f.central.database.rows("""
            SELECT body, body_sha256, checkpoint, reason FROM evidence WHERE id = \(evidenceID)
            """)
        let (body, digest, note, reason) = try evidence[0].decode((ByteBuffer, ByteBuffer, String, String).self)
        #expect(SHA256.hash(Array(body.readableBytesView)) == SHA256.hash(push.body), "the evidence is not the body verbatim")
        #expect(Array(digest.readableBytesView) == SHA256.hash(push.body).bytes)
        #expect(note == push.checkpoint)
        #expect(reason == kind.rawValue)
        // The alarm row points at the evidence and at the central log entry.
        let alarms = try await f.central.database.rows("""
            SELECT kind, central_seq, stored_size FROM alarms WHERE evidence_id = \(evidenceID)
            """)
        let (alarmKind, seq, storedSize) = try alarms[0].decode((String, Int64, Int64).self)
        #expect(alarmKind == kind.rawValue)
        #expect(Int(storedSize) == heldSize)
        let entry = try #require(try await f.centralEntries().first { $0.seq == Int(seq) })
        #expect(entry.kind == "alarm.raised")
        #expect(entry.subject == plant.origin)
        #expect(entry.payload["alarm"]?.stringValue == kind.rawValue)
        #expect(entry.payload["checkpoint"]?.stringValue == push.checkpoint)
        #expect(entry.payload["evidenceSha256"]?.stringValue == SHA256.hash(push.body).prefixed)
        // The metric and the error-level log line.
        let metrics = f.central.metrics.exposition()
        #expect(metrics.contains("auditctl_fleet_alarms_total{") && metrics.contains("kind=\"\(kind.rawValue)\""), "\(metrics)")
        #expect(f.logs.lines.contains { $0.hasPrefix("error ") && $0.contains("alarm=\(kind.rawValue)") && $0.contains("origin=\(plant.origin)") })
        // Nothing of the rewritten history was stored; the held tree is unchanged.
        let held = try #require(try await f.central.plant(plant.origin))
        #expect(held.size == heldSize)
        #expect(held.root == heldRoot)
        #expect(held.alarmCount >= 1)
        #expect(try await f.count("SELECT count(*) FROM plant_entries") == heldSize)
    }

    @Test func aForkAtTheHeldSizeIsRefusedAndAlarmed() async throws {
        let plant = try await TestPlant.make(entries: 25)
        try await FleetFixture.with { f in
            let held = try await central(with: plant, f)
            // Another history of exactly the held size, signed with the real key: a split view.
            var forged = try ForgedHistory(origin: plant.origin, entries: plant.pushedEntries())
            try forged.edit(seq: held - 1, actor: "mallory")
            let push = try forged.push(old: held, size: held, signer: plant.signer)
            try await expectAlarm(try await f.central.ingest(body: push.body), .fork, push: push, plant: plant,
                                  heldSize: held, heldRoot: try plant.root(), f)
            // The same fork sent with its entries (old = 0) is the same alarm.
            let full = try forged.push(old: 0, size: held, signer: plant.signer)
            try await expectAlarm(try await f.central.ingest(body: full.body), .fork, push: full, plant: plant,
                                  heldSize: held, heldRoot: try plant.root(), f)
        }
    }

    @Test func aTruncatedReinitialisedHistoryIsARollbackAlarm() async throws {
        let plant = try await TestPlant.make(entries: 30)
        try await FleetFixture.with { f in
            let held = try await central(with: plant, f)
            // The host re-initialises the ledger (same origin and key) and shows a smaller tree.
            var fresh = try ForgedHistory(origin: plant.origin)
            for i in 0..<10 { try fresh.append(i) }
            let push = try fresh.push(old: 0, size: 10, signer: plant.signer)
            try await expectAlarm(try await f.central.ingest(body: push.body), .rollback, push: push, plant: plant,
                                  heldSize: held, heldRoot: try plant.root(), f)
        }
    }

    @Test func anEditedOldEntryResignedAndExtendedFailsTheConsistencyProof() async throws {
        let plant = try await TestPlant.make(entries: 20)
        try await FleetFixture.with { f in
            let held = try await central(with: plant, f)
            var forged = try ForgedHistory(origin: plant.origin, entries: plant.pushedEntries())
            try forged.edit(seq: 3, actor: "mallory")
            for i in 0..<6 { try forged.append(500 + i) }
            let push = try forged.push(old: held, size: held + 6, signer: plant.signer)
            try await expectAlarm(try await f.central.ingest(body: push.body), .inconsistentProof, push: push, plant: plant,
                                  heldSize: held, heldRoot: try plant.root(), f)
            // Re-signed at a smaller size instead: a rollback alarm.
            let smaller = try forged.push(old: 0, size: 10, signer: plant.signer)
            try await expectAlarm(try await f.central.ingest(body: smaller.body), .rollback, push: smaller, plant: plant,
                                  heldSize: held, heldRoot: try plant.root(), f)
        }
    }

    @Test func entriesThatDoNotHashToTheSignedCheckpointAreAlarmed() async throws {
        let plant = try await TestPlant.make(entries: 12)
        try await FleetFixture.with { f in
            let held = try await central(with: plant, f)
            try await plant.append(8)
            // The real next push (valid checkpoint and proof), one entry altered on the way.
            var push = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: held))
            push.entries[4].actor = "mallory"
            try await expectAlarm(try await f.central.ingest(body: push.body), .entriesMismatch, push: push, plant: plant,
                                  heldSize: held, heldRoot: try plant.root(atSize: held), f)
            // A broken prev chain with otherwise valid entries is the same alarm.
            var chain = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: held))
            chain.entries[0].prev = String(repeating: "ab", count: 32)
            try await expectAlarm(try await f.central.ingest(body: chain.body), .entriesMismatch, push: chain, plant: plant,
                                  heldSize: held, heldRoot: try plant.root(atSize: held), f)
            // A retried push whose entries differ from what is stored.
            var retried = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: 0, maxEntries: held))
            #expect(retried.entries.count == held)
            retried.entries[1].subject = "chg-forged"
            try await expectAlarm(try await f.central.ingest(body: retried.body), .entriesMismatch, push: retried, plant: plant,
                                  heldSize: held, heldRoot: try plant.root(atSize: held), f)
            // The genuine push still goes through afterwards.
            let real = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: held))
            #expect(try await f.central.ingest(body: real.body).httpStatus == 200)
            #expect(try await f.count("SELECT count(*) FROM alarms") == 3)
        }
    }
}

extension TestPlant {
    /// The plant's own checkpoint root at `size`.
    func root(atSize size: Int) throws -> Digest {
        try #require(try ledger.store.checkpoints().first { $0.size == size }).root
    }
}
